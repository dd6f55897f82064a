// Monthly normalisation of subscription items and per-currency sums of exact amounts.
import type { PriceInterval, SubscriptionItem } from './input.ts';
import { add, isZero, rational, type Rational, ZERO } from './rational.ts';

/** The factor turning one billing period of `interval_count` intervals into a month: numerator / denominator. */
const FACTOR: Record<PriceInterval, (n: bigint) => [bigint, bigint]> = {
  month: (n) => [1n, n],
  year: (n) => [1n, 12n * n],
  week: (n) => [52n, 12n * n],
  day: (n) => [365n, 12n * n],
};

/** unit_amount × quantity × factor, exactly; 0 without a flat amount or an interval. */
export function monthlyAmount(item: SubscriptionItem): Rational {
  if (item.unit_amount === null || item.interval === null) return ZERO;
  if (!Number.isSafeInteger(item.unit_amount) || !Number.isSafeInteger(item.quantity) || !Number.isSafeInteger(item.interval_count) || item.interval_count < 1) {
    throw new RangeError(`price ${item.price_id}: unit_amount, quantity and interval_count must be whole numbers (interval_count ≥ 1)`);
  }
  const factor = FACTOR[item.interval];
  if (!factor) throw new RangeError(`price ${item.price_id}: unknown interval "${String(item.interval)}"`);
  const [num, den] = factor(BigInt(item.interval_count));
  return rational(BigInt(item.unit_amount) * BigInt(item.quantity) * num, den);
}

/** Exact amounts keyed by lowercase currency code; a missing currency means 0. */
export type Amounts = ReadonlyMap<string, Rational>;

export const NO_AMOUNTS: Amounts = new Map();

export function addInto(target: Map<string, Rational>, amounts: Amounts): void {
  for (const [currency, amount] of amounts) target.set(currency, add(target.get(currency) ?? ZERO, amount));
}

/** True when the item adds a non-zero amount to MRR. */
export const pays = (item: SubscriptionItem): boolean => item.unit_amount !== null && item.unit_amount !== 0 && item.interval !== null && item.quantity !== 0;

/** True when some item of the list pays. */
export function anyPays(items: readonly SubscriptionItem[]): boolean {
  for (let i = 0; i < items.length; i++) if (pays(items[i]!)) return true;
  return false;
}

/**
 * itemsAmounts, worked out once per items list. Loaders share one list among the states of the same
 * plan, so the 100k members of a community need a handful of these; the shared object also lets MRR
 * count members per amount instead of adding exact fractions member by member. Inputs are readonly.
 */
const amountsByItems = new WeakMap<readonly SubscriptionItem[], Amounts>();
export function sharedItemsAmounts(items: readonly SubscriptionItem[]): Amounts {
  let amounts = amountsByItems.get(items);
  if (amounts === undefined) amountsByItems.set(items, (amounts = itemsAmounts(items)));
  return amounts;
}

export function itemsAmounts(items: readonly SubscriptionItem[]): Amounts {
  const out = new Map<string, Rational>();
  for (const item of items) {
    if (!pays(item)) continue;
    const currency = item.currency.toLowerCase();
    out.set(currency, add(out.get(currency) ?? ZERO, monthlyAmount(item)));
  }
  for (const [currency, amount] of out) if (isZero(amount)) out.delete(currency);
  return out;
}

export const amountOf = (amounts: Amounts, currency: string): Rational => amounts.get(currency) ?? ZERO;
