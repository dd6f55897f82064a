import type Stripe from 'stripe';
import type { EmulatorCore } from './core.ts';
import { buildCustomer, buildPrice, buildProduct } from './objects-catalog.ts';
import { buildInvoice } from './objects-invoice.ts';
import { addInterval, buildSubscription, intervalOf } from './objects-subscription.ts';

export interface PriceSeed {
  id: string;
  productName: string;
  unitAmount: number;
  currency: string;
  recurring?: { interval: 'month' | 'year' } | null;
}

/** Creates the catalog: one product per distinct name, whose default price is its first price. */
export function seedPrices(core: EmulatorCore, prices: PriceSeed[]): void {
  const products = new Map<string, Stripe.Product>();
  for (const seed of prices) {
    let product = products.get(seed.productName);
    if (!product) {
      product = buildProduct({ name: seed.productName, created: core.now(), defaultPrice: seed.id });
      products.set(seed.productName, product);
      core.store.products.set(product.id, product);
    }
    const price = buildPrice({ id: seed.id, product: product.id, unitAmount: seed.unitAmount, currency: seed.currency, recurring: seed.recurring ?? null, created: core.now() });
    core.store.prices.set(price.id, price);
  }
}

export interface SubscriptionSeed {
  priceId: string;
  /** An existing customer id, or omitted to create a customer. */
  customer?: string;
  email?: string;
  status?: Stripe.Subscription.Status;
  metadata?: Record<string, string>;
  /** Start of the current period; defaults to now. */
  periodStart?: number;
  cancelAtPeriodEnd?: boolean;
}

/**
 * Puts a subscription (and its customer and first invoice) in place without sending events:
 * state that already existed before the test or the benchmark began, as reconciliation finds it.
 * Returns the live stored objects (not copies), so a test can bend them and bulk seeding stays cheap.
 */
export function seedSubscription(core: EmulatorCore, seed: SubscriptionSeed): { customer: Stripe.Customer; subscription: Stripe.Subscription } {
  const price = core.store.prices.get(seed.priceId);
  if (!price) throw new Error(`seedSubscription: no such price '${seed.priceId}'; seed it through the emulator's \`prices\` option first.`);
  let customer = seed.customer ? core.store.customers.get(seed.customer) : undefined;
  if (seed.customer && !customer) throw new Error(`seedSubscription: no such customer '${seed.customer}'`);
  if (!customer) {
    customer = buildCustomer({ email: seed.email ?? `member${core.store.customers.size + 1}@example.test`, created: core.now() });
    core.store.customers.set(customer.id, customer);
  }
  const start = seed.periodStart ?? core.now();
  const end = addInterval(start, intervalOf(price));
  const subscription = buildSubscription({ customer: customer.id, prices: [{ price }], status: seed.status ?? 'active', created: start, periodStart: start, periodEnd: end, metadata: seed.metadata ?? {} });
  if (seed.cancelAtPeriodEnd) Object.assign(subscription, { cancel_at_period_end: true, cancel_at: end, canceled_at: start });
  if (subscription.status === 'canceled') Object.assign(subscription, { canceled_at: start, ended_at: start });
  const invoice = buildInvoice({ subscription, customer, billingReason: 'subscription_create', status: 'paid', created: start, period: { start, end } });
  subscription.latest_invoice = invoice.id;
  core.store.subscriptions.set(subscription.id, subscription);
  core.store.invoices.set(invoice.id, invoice);
  return { customer, subscription };
}
