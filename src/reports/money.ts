// Money in Stripe's minor units, rendered for people. Stripe's exponent is not always ISO 4217's:
// its zero-decimal currencies take whole units, five take three decimals, and every other one
// (ISK, HUF and TWD included) takes two, even where the currency itself has none.

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many decimals Stripe's integer amounts carry in this currency. */
export function stripeExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  return THREE_DECIMAL.has(c) ? 3 : 2;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** 12345 usd → "$123.45"; 500 jpy → "¥500"; an unknown code still renders, as "XYZ 1.00". */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  let f = formatters.get(code);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'symbol' });
    } catch {
      // Not an ISO code Intl knows: keep the amount readable rather than fail the digest.
      f = new Intl.NumberFormat('en-US', { minimumFractionDigits: stripeExponent(code), maximumFractionDigits: stripeExponent(code) });
      const plain = f;
      f = { format: (n: number) => `${code} ${plain.format(n)}` } as Intl.NumberFormat;
    }
    formatters.set(code, f);
  }
  return f.format(minor / 10 ** stripeExponent(currency));
}

/** The currency with the largest MRR (ties: alphabetical), or null when there is none. */
export function mainCurrency(mrr: Readonly<Record<string, number>>, movement: Readonly<Record<string, unknown>> = {}): string | null {
  const codes = [...new Set([...Object.keys(mrr), ...Object.keys(movement)])].sort();
  if (codes.length === 0) return null;
  return codes.reduce((best, c) => ((mrr[c] ?? 0) > (mrr[best] ?? 0) ? c : best));
}
