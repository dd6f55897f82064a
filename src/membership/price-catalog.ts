import type Stripe from 'stripe';
import type { Clock } from '../discord/command.ts';

export const PRICE_CACHE_TTL_MS = 10 * 60_000;

export interface PriceCatalog {
  /** The named prices as Stripe has them (missing ids are absent), from memory when fresh. */
  get(ids: readonly string[]): Promise<ReadonlyMap<string, Stripe.Price>>;
}

/**
 * Stripe prices for /tiers, kept in memory for `ttlMs`: a busy channel running /tiers costs one
 * list call per ten minutes, and concurrent callers share one fetch. Failures are not cached.
 */
export function createPriceCatalog(stripe: Stripe, clock: Clock, ttlMs = PRICE_CACHE_TTL_MS): PriceCatalog {
  let cached: { at: number; asked: Set<string>; prices: Map<string, Stripe.Price> } | undefined;
  let inFlight: Promise<Map<string, Stripe.Price>> | undefined;

  const fetch = async (ids: readonly string[]) => {
    const wanted = new Set(ids);
    const prices = new Map<string, Stripe.Price>();
    // One paginated list instead of a retrieve per price; stop as soon as every tier price is found.
    for await (const price of stripe.prices.list({ limit: 100 })) {
      if (wanted.has(price.id)) prices.set(price.id, price);
      if (prices.size === wanted.size) break;
    }
    cached = { at: clock.now(), asked: wanted, prices };
    return prices;
  };

  return {
    async get(ids) {
      const fresh = cached && clock.now() - cached.at < ttlMs && ids.every((id) => cached!.asked.has(id));
      if (fresh) return cached!.prices;
      inFlight ??= fetch(ids).finally(() => (inFlight = undefined));
      return inFlight;
    },
  };
}

const catalogs = new WeakMap<Stripe, PriceCatalog>();

/** One catalog per Stripe client (per running app), so the cache lives as long as the app does. */
export function priceCatalogFor(stripe: Stripe, clock: Clock): PriceCatalog {
  let catalog = catalogs.get(stripe);
  if (!catalog) catalogs.set(stripe, (catalog = createPriceCatalog(stripe, clock)));
  return catalog;
}

/** "$15.00 / month", "$50.00 / year", "$120.00 every 3 months", "$300.00 one-time". */
export function formatPrice(price: Stripe.Price): string {
  const currency = price.currency.toUpperCase();
  let amount: string;
  if (price.unit_amount === null) amount = 'price set at checkout';
  else {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    amount = format.format(price.unit_amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  }
  if (!price.recurring) return `${amount} one-time`;
  const { interval, interval_count: count } = price.recurring;
  return count > 1 ? `${amount} every ${count} ${interval}s` : `${amount} / ${interval}`;
}
