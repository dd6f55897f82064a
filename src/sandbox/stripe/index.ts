import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { EmulatorCore } from './core.ts';
import { cancelSubscription, failPayment, renewSubscription, updateSubscription, type BillingResult } from './flow-billing.ts';
import { completeCheckout, type CheckoutResult, type CompleteCheckoutOptions } from './flow-checkout.ts';
import { createStripeHistory, PastClock, type PastCheckout, type StripeHistory } from './history.ts';
import { disputePayment, refundPayment, type RefundOptions } from './flow-payments.ts';
import { catalogRoutes } from './routes-catalog.ts';
import { checkoutRoutes } from './routes-checkout.ts';
import { customerRoutes } from './routes-customers.ts';
import { eventRoutes } from './routes-events.ts';
import { subscriptionRoutes } from './routes-subscriptions.ts';
import { seedPrices, seedSubscription, type PriceSeed, type SubscriptionSeed } from './seed.ts';
import { createRequestHandler, type RecordedRequest } from './server.ts';
import type { StripeStore, WireEvent } from './store.ts';
import { WebhookDispatcher, type Delivery } from './webhooks.ts';

export type { CheckoutResult, CompleteCheckoutOptions, BillingResult, Delivery, PastCheckout, PriceSeed, RecordedRequest, StripeHistory, SubscriptionSeed, WireEvent };

export interface StripeEmulatorOptions {
  /** 0 (the default) picks a free port. The emulator binds 127.0.0.1 only. */
  port?: number;
  /** The only API key accepted (Bearer auth); anything else gets Stripe's 401. */
  secretKey: string;
  /** Signs every delivery, as the endpoint's `whsec_…` secret does on Stripe. */
  webhookSecret: string;
  /** Where events are POSTed; can be set later with `setWebhookUrl`. Without it events are only listed. */
  webhookUrl?: string;
  prices?: PriceSeed[];
  /** Seconds since the epoch for object and event timestamps. Signatures always use the wall clock. */
  clock?: () => number;
  logger?: (line: string) => void;
  /** Delay before each retry of a failed delivery; its length is the number of retries. */
  retryDelaysMs?: number[];
  deliveryTimeoutMs?: number;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:PORT`: the value for STRIPE_API_URL. */
  readonly apiUrl: string;
  readonly port: number;
  setWebhookUrl(url: string | undefined): void;
  /** Every `/v1` request received, in order. */
  readonly requests: RecordedRequest[];
  /** Every delivery, in the order events were emitted; a redelivery adds a new entry. */
  readonly deliveries: Delivery[];
  /** Every event emitted, oldest first. */
  readonly events: WireEvent[];
  /** The live account state, for assertions and for tests that need to bend it. */
  readonly store: StripeStore;
  completeCheckout(sessionId: string, opts?: CompleteCheckoutOptions): Promise<CheckoutResult>;
  renewSubscription(subscriptionId: string): Promise<BillingResult>;
  failPayment(subscriptionId: string): Promise<BillingResult>;
  cancelSubscription(subscriptionId: string, opts?: { atPeriodEnd?: boolean }): Promise<BillingResult>;
  /** An upgrade or downgrade: the subscription's item moves to another recurring price. */
  changePrice(subscriptionId: string, priceId: string): Promise<BillingResult>;
  refundPayment(paymentIntentOrChargeId: string, opts?: RefundOptions): Promise<{ refund: Stripe.Refund; charge: Stripe.Charge; events: { id: string; type: string }[] }>;
  disputePayment(paymentIntentOrChargeId: string, reason?: string): Promise<{ dispute: Stripe.Dispute; events: { id: string; type: string }[] }>;
  seedSubscription(seed: SubscriptionSeed): { customer: Stripe.Customer; subscription: Stripe.Subscription };
  /** The same flows at past instants (Stripe's own times in the past, webhooks sent now): see history.ts. */
  readonly history: StripeHistory;
  /** Sends a stored event again (same id, same body, fresh signature), as the Dashboard's "Resend" does. */
  redeliver(eventId: string): Promise<Delivery | null>;
  /** Emits an arbitrary event around `object`, for duplicate and out-of-order scenarios. */
  sendEvent(type: string, object: { id: string; object: string }, previousAttributes?: Record<string, unknown>): Promise<{ event: WireEvent; delivery: Delivery | null }>;
  /** Resolves once no delivery has a retry pending. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const log = options.logger ?? (() => undefined);
  const webhooks = new WebhookDispatcher({
    secret: options.webhookSecret,
    url: options.webhookUrl,
    retryDelaysMs: options.retryDelaysMs ?? [200, 1_000, 3_000, 10_000, 30_000],
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    logger: log,
  });
  const clock = new PastClock(options.clock ?? (() => Date.now() / 1000));
  const core = new EmulatorCore(clock.now, webhooks, log);
  seedPrices(core, options.prices ?? []);
  const requests: RecordedRequest[] = [];
  const routes = [...customerRoutes, ...catalogRoutes, ...checkoutRoutes, ...subscriptionRoutes, ...eventRoutes];
  const server = createServer(createRequestHandler({ core, routes, secretKey: options.secretKey, requests }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  core.baseUrl = `http://127.0.0.1:${port}`;
  log(`stripe emulator listening on ${core.baseUrl}`);

  const subscription = (id: string): Stripe.Subscription => {
    const sub = core.store.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: '${id}'`);
    return sub;
  };

  return {
    apiUrl: core.baseUrl,
    port,
    setWebhookUrl: (url) => webhooks.setUrl(url),
    requests,
    deliveries: webhooks.deliveries,
    get events() {
      return [...core.store.events.values()];
    },
    store: core.store,
    completeCheckout: (id, opts) => completeCheckout(core, id, opts),
    renewSubscription: (id) => renewSubscription(core, id),
    failPayment: (id) => failPayment(core, id),
    cancelSubscription: (id, opts) => cancelSubscription(core, id, opts),
    async changePrice(id, priceId) {
      const price = core.store.prices.get(priceId);
      if (!price) throw new Error(`No such price: '${priceId}'`);
      const emitted = updateSubscription(core, subscription(id), { price: { price } });
      const events = await EmulatorCore.delivered(emitted ? [emitted] : []);
      return { subscription: structuredClone(subscription(id)), events: events.map((e) => ({ id: e.id, type: e.type })) };
    },
    refundPayment: (id, opts) => refundPayment(core, id, opts),
    disputePayment: (id, reason) => disputePayment(core, id, reason),
    seedSubscription: (seed) => seedSubscription(core, seed),
    history: createStripeHistory(core, clock),
    redeliver(eventId) {
      const event = core.store.events.get(eventId);
      if (!event) throw new Error(`No such event: '${eventId}'`);
      return webhooks.enqueue(event);
    },
    async sendEvent(type, object, previousAttributes) {
      const { event, delivered } = core.emit(type, object, previousAttributes);
      return { event, delivery: await delivered };
    },
    settle: () => webhooks.settle(),
    async close() {
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // stripe-node keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      });
    },
  };
}
