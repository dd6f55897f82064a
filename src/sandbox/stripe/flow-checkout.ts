import type Stripe from 'stripe';
import { EmulatorCore, type Emitted } from './core.ts';
import { newId } from './ids.ts';
import { buildCustomer } from './objects-catalog.ts';
import { customerDetailsFor } from './objects-checkout.ts';
import { buildInvoice } from './objects-invoice.ts';
import { buildCharge, buildPaymentIntent } from './objects-payments.ts';
import { addInterval, buildSubscription, intervalOf } from './objects-subscription.ts';
import { clone } from './store.ts';

export interface CompleteCheckoutOptions {
  /** The payer's email as typed on the payment page; defaults to the session's `customer_email` or a generated one. */
  email?: string;
  name?: string;
}

export interface CheckoutResult {
  session: Stripe.Checkout.Session;
  /** Null for a one-time payment by a guest: Checkout in `payment` mode only creates a customer when asked to (`customer_creation=always`). */
  customer: Stripe.Customer | null;
  subscription?: Stripe.Subscription;
  invoice?: Stripe.Invoice;
  paymentIntent?: Stripe.PaymentIntent;
  charge?: Stripe.Charge;
  events: { id: string; type: string }[];
}

function resolveCustomer(core: EmulatorCore, session: Stripe.Checkout.Session, opts: CompleteCheckoutOptions, emitted: Emitted[]): Stripe.Customer | null {
  const existing = typeof session.customer === 'string' ? core.store.customers.get(session.customer) : undefined;
  if (existing) return existing;
  if (session.mode === 'payment' && session.customer_creation !== 'always') return null;
  const seq = core.store.customers.size + 1;
  const customer = buildCustomer({ email: opts.email ?? session.customer_email ?? `member${seq}@example.test`, name: opts.name ?? null, created: core.now() });
  core.store.customers.set(customer.id, customer);
  emitted.push(core.emit('customer.created', customer));
  return customer;
}

function startSubscription(core: EmulatorCore, session: Stripe.Checkout.Session, customer: Stripe.Customer): { subscription: Stripe.Subscription; invoice: Stripe.Invoice } {
  const extras = core.store.checkoutExtras.get(session.id);
  const now = core.now();
  const first = extras?.lineItems[0]?.price;
  const trialDays = extras?.trialPeriodDays ?? null;
  const periodEnd = trialDays ? now + trialDays * 86_400 : addInterval(now, first ? intervalOf(first) : 'month');
  const subscription = buildSubscription({
    customer: customer.id,
    prices: extras?.lineItems ?? [],
    status: trialDays ? 'trialing' : 'active',
    created: now,
    periodStart: now,
    periodEnd,
    metadata: extras?.subscriptionMetadata ?? {},
    trialEnd: trialDays ? periodEnd : null,
  });
  // A trial moves the billing anchor to the trial's end: that is when the first paid period starts.
  if (trialDays) subscription.billing_cycle_anchor = periodEnd;
  const invoice = buildInvoice({ subscription, customer, billingReason: 'subscription_create', status: 'paid', created: now, period: { start: now, end: periodEnd }, free: trialDays !== null });
  subscription.latest_invoice = invoice.id;
  customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
  core.store.subscriptions.set(subscription.id, subscription);
  core.store.invoices.set(invoice.id, invoice);
  Object.assign(session, { subscription: subscription.id, invoice: invoice.id, payment_status: trialDays ? 'no_payment_required' : 'paid' });
  return { subscription, invoice };
}

function takePayment(core: EmulatorCore, session: Stripe.Checkout.Session, customer: Stripe.Customer | null): { paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge } {
  const extras = core.store.checkoutExtras.get(session.id);
  const input = {
    amount: session.amount_total ?? 0,
    currency: session.currency ?? 'usd',
    customer: customer?.id ?? null,
    email: customer?.email ?? session.customer_details?.email ?? null,
    created: core.now(),
    metadata: extras?.paymentIntentMetadata ?? {},
  };
  const chargeId = newId('ch');
  const paymentIntent = buildPaymentIntent({ ...input, chargeId });
  const charge = buildCharge({ ...input, id: chargeId, paymentIntent: paymentIntent.id });
  core.store.paymentIntents.set(paymentIntent.id, paymentIntent);
  core.store.charges.set(charge.id, charge);
  Object.assign(session, { payment_intent: paymentIntent.id, payment_status: 'paid' });
  return { paymentIntent, charge };
}

/**
 * What happens when a payer clicks "Pay" on the hosted page. Events go out in this order:
 * customer.created (for a new customer), checkout.session.completed, then the subscription's
 * customer.subscription.created, invoice.created, invoice.finalized, invoice.paid and
 * invoice.payment_succeeded — or, for a one-time payment, charge.succeeded and payment_intent.succeeded.
 * Stripe itself does not promise an order, so tests reorder with `sendEvent`/`redeliver`.
 */
export async function completeCheckout(core: EmulatorCore, sessionId: string, opts: CompleteCheckoutOptions = {}): Promise<CheckoutResult> {
  const session = core.store.checkoutSessions.get(sessionId);
  if (!session) throw new Error(`No such checkout.session: '${sessionId}'`);
  if (session.status !== 'open') throw new Error(`Checkout Session ${sessionId} is ${session.status}; only an open session can be paid.`);
  const emitted: Emitted[] = [];
  const customer = resolveCustomer(core, session, opts, emitted);
  session.customer_details = customerDetailsFor(customer, opts.email ?? session.customer_email);
  session.customer = customer?.id ?? null;
  session.status = 'complete';
  const result: CheckoutResult = { session, customer, events: [] };
  if (session.mode === 'subscription' && customer) {
    Object.assign(result, startSubscription(core, session, customer));
  } else {
    Object.assign(result, takePayment(core, session, customer));
  }
  emitted.push(core.emit('checkout.session.completed', session));
  if (result.subscription && result.invoice) {
    emitted.push(core.emit('customer.subscription.created', result.subscription));
    for (const type of ['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']) emitted.push(core.emit(type, result.invoice));
  }
  if (result.charge && result.paymentIntent) {
    emitted.push(core.emit('charge.succeeded', result.charge), core.emit('payment_intent.succeeded', result.paymentIntent));
  }
  core.log(`checkout ${sessionId} completed (${session.mode})`);
  const events = await EmulatorCore.delivered(emitted);
  return { ...clone(result), events: events.map((e) => ({ id: e.id, type: e.type })) };
}
