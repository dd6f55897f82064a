import type Stripe from 'stripe';

/** The emulator's in-memory account. Maps keep insertion order, which is creation order. */

export interface CheckoutExtras {
  lineItems: { price: Stripe.Price; quantity: number }[];
  subscriptionMetadata: Record<string, string>;
  trialPeriodDays: number | null;
  paymentIntentMetadata: Record<string, string>;
}

export interface WireEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: { id: string; object: string }; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export class StripeStore {
  readonly customers = new Map<string, Stripe.Customer>();
  readonly products = new Map<string, Stripe.Product>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  readonly checkoutExtras = new Map<string, CheckoutExtras>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly disputes = new Map<string, Stripe.Dispute>();
  readonly events = new Map<string, WireEvent>();

  /** Any stored object by id, the way `expand[]` resolves references. */
  find(id: string): { id: string; object: string } | undefined {
    for (const map of this.byPrefix(id)) {
      const found = map.get(id);
      if (found) return found;
    }
    return undefined;
  }

  private byPrefix(id: string): Map<string, { id: string; object: string }>[] {
    const prefix = id.startsWith('cs_') ? 'cs' : id.slice(0, id.indexOf('_'));
    const table: Record<string, Map<string, { id: string; object: string }>> = {
      cus: this.customers, prod: this.products, price: this.prices, cs: this.checkoutSessions, bps: this.portalSessions,
      sub: this.subscriptions, in: this.invoices, pi: this.paymentIntents, ch: this.charges, py: this.charges,
      re: this.refunds, dp: this.disputes, evt: this.events,
    };
    const hit = table[prefix];
    // Prices may carry any id the operator chose (e.g. tiers.json ids), so fall back to a full scan.
    return hit ? [hit, this.prices] : [this.prices, ...Object.values(table)];
  }
}

/** Newest first, as every Stripe list endpoint orders its results. */
export function newestFirst<T>(map: Map<string, T>): T[] {
  return [...map.values()].reverse();
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
