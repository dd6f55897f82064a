// The account's past: checkouts, renewals, failed payments, cancellations and price changes made at
// an earlier instant. Each runs the emulator's normal flow with the clock set to that instant, so
// objects and events carry Stripe's own past times (created, start_date, ended_at, period ends) and
// webhooks go out now, signed with the wall clock, as a backlog of old events would arrive.
import type Stripe from 'stripe';
import { EmulatorCore } from './core.ts';
import { cancelSubscription, failPayment, renewSubscription, updateSubscription, type BillingResult } from './flow-billing.ts';
import { completeCheckout, type CheckoutResult } from './flow-checkout.ts';
import { buildCheckoutSession } from './objects-checkout.ts';
import { clone } from './store.ts';

/** The emulator's clock, which can stand at a past instant while one flow runs. */
export class PastClock {
  private at: number | null = null;

  constructor(private readonly live: () => number) {}

  /** Seconds since the epoch: the past instant inside `during`, the live clock otherwise. */
  readonly now = (): number => this.at ?? this.live();

  /** Runs `act` at `at` (seconds). Flows emit synchronously before their first await, so their times are `at`. */
  during<T>(at: number, act: () => T): T {
    if (this.at !== null) throw new Error('PastClock: already at a past instant');
    this.at = at;
    try {
      return act();
    } finally {
      this.at = null;
    }
  }
}

export interface PastCheckout {
  /** The member /join created the session for (client_reference_id and metadata, as /join sets them). */
  userId: string;
  priceId: string;
  /** Seconds since the epoch: when the member paid. */
  at: number;
  /** A returning member's customer: /join passes it, so one member keeps one customer. */
  customerId?: string;
  email?: string;
  trialDays?: number;
}

export interface StripeHistory {
  /** /join's Checkout Session (subscription mode for a recurring price, payment mode for a one-time one), paid at `at`. */
  checkout(input: PastCheckout): Promise<CheckoutResult>;
  /** The period ended at `at` and the renewal was paid (a subscription set to cancel ends instead). */
  renew(subscriptionId: string, at: number): Promise<BillingResult>;
  failPayment(subscriptionId: string, at: number): Promise<BillingResult>;
  cancel(subscriptionId: string, at: number, opts?: { atPeriodEnd?: boolean }): Promise<BillingResult>;
  changePrice(subscriptionId: string, priceId: string, at: number): Promise<BillingResult>;
}

export function createStripeHistory(core: EmulatorCore, clock: PastClock): StripeHistory {
  const subscription = (id: string): Stripe.Subscription => {
    const sub = core.store.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: '${id}'`);
    return sub;
  };

  const openSession = (input: PastCheckout): string => {
    const price = core.store.prices.get(input.priceId);
    if (!price) throw new Error(`No such price: '${input.priceId}'`);
    const mode = price.type === 'recurring' ? 'subscription' : 'payment';
    if (input.customerId && !core.store.customers.has(input.customerId)) throw new Error(`No such customer: '${input.customerId}'`);
    const session = buildCheckoutSession({
      mode, baseUrl: core.baseUrl, created: input.at, amountTotal: price.unit_amount ?? 0, currency: price.currency,
      customer: input.customerId ?? null, customerEmail: input.customerId ? null : (input.email ?? null),
      customerCreation: mode === 'payment' && !input.customerId ? 'always' : null,
      clientReferenceId: input.userId, metadata: { discord_user_id: input.userId, price_id: price.id },
    });
    core.store.checkoutSessions.set(session.id, session);
    core.store.checkoutExtras.set(session.id, {
      lineItems: [{ price, quantity: 1 }],
      subscriptionMetadata: mode === 'subscription' ? { discord_user_id: input.userId } : {},
      trialPeriodDays: input.trialDays ?? null,
      paymentIntentMetadata: mode === 'payment' ? { discord_user_id: input.userId } : {},
    });
    return session.id;
  };

  return {
    checkout: (input) => clock.during(input.at, () => completeCheckout(core, openSession(input))),
    renew: (id, at) => clock.during(at, () => renewSubscription(core, id)),
    failPayment: (id, at) => clock.during(at, () => failPayment(core, id)),
    cancel: (id, at, opts) => clock.during(at, () => cancelSubscription(core, id, opts)),
    async changePrice(id, priceId, at) {
      const price = core.store.prices.get(priceId);
      if (!price) throw new Error(`No such price: '${priceId}'`);
      const emitted = clock.during(at, () => updateSubscription(core, subscription(id), { price: { price } }));
      const events = await EmulatorCore.delivered(emitted ? [emitted] : []);
      return { subscription: clone(subscription(id)), events: events.map((e) => ({ id: e.id, type: e.type })) };
    },
  };
}
