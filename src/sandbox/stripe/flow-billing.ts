import type Stripe from 'stripe';
import { EmulatorCore, type Emitted, type RequestRef } from './core.ts';
import { planOf } from './objects-catalog.ts';
import { buildInvoice } from './objects-invoice.ts';
import { intervalOf, nextPeriodEnd, periodOf, setPeriod } from './objects-subscription.ts';
import { clone } from './store.ts';

/** Subscription life after checkout: renewals, failed renewals and cancellations, with the events Stripe sends for each. */

export interface BillingResult {
  subscription: Stripe.Subscription;
  invoice?: Stripe.Invoice;
  events: { id: string; type: string }[];
}

function liveSubscription(core: EmulatorCore, id: string): Stripe.Subscription {
  const sub = core.store.subscriptions.get(id);
  if (!sub) throw new Error(`No such subscription: '${id}'`);
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') throw new Error(`Subscription ${id} is ${sub.status}; it can no longer change.`);
  return sub;
}

function customerOf(core: EmulatorCore, sub: Stripe.Subscription): Stripe.Customer {
  const id = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
  const customer = core.store.customers.get(id);
  if (!customer) throw new Error(`Subscription ${sub.id} names a missing customer ${id}`);
  return customer;
}

async function finish(sub: Stripe.Subscription, emitted: Emitted[], invoice?: Stripe.Invoice): Promise<BillingResult> {
  const events = await EmulatorCore.delivered(emitted);
  return { subscription: clone(sub), ...(invoice ? { invoice: clone(invoice) } : {}), events: events.map((e) => ({ id: e.id, type: e.type })) };
}

/** Moves the subscription into its next period and bills it; the new invoice is paid or left open. */
function advance(core: EmulatorCore, sub: Stripe.Subscription, paid: boolean, emitted: Emitted[]): Stripe.Invoice {
  const before = { items: clone(sub.items), latest_invoice: sub.latest_invoice };
  const old = periodOf(sub);
  const price = sub.items.data[0]?.price;
  const period = { start: old.end, end: nextPeriodEnd(sub.billing_cycle_anchor, old.end, price ? intervalOf(price) : 'month') };
  setPeriod(sub, period);
  const customer = customerOf(core, sub);
  const now = core.now();
  const invoice = buildInvoice({ subscription: sub, customer, billingReason: 'subscription_cycle', status: paid ? 'paid' : 'open', created: now, period, nextPaymentAttempt: now + 3 * 86_400 });
  customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
  core.store.invoices.set(invoice.id, invoice);
  sub.latest_invoice = invoice.id;
  emitted.push(core.emit('customer.subscription.updated', sub, before));
  emitted.push(core.emit('invoice.created', invoice), core.emit('invoice.finalized', invoice));
  return invoice;
}

function setStatus(core: EmulatorCore, sub: Stripe.Subscription, status: Stripe.Subscription.Status, emitted: Emitted[]): void {
  if (sub.status === status) return;
  const before = { status: sub.status };
  sub.status = status;
  emitted.push(core.emit('customer.subscription.updated', sub, before));
}

function endNow(core: EmulatorCore, sub: Stripe.Subscription, at: number, request?: RequestRef): Emitted {
  const before = { status: sub.status, ended_at: sub.ended_at };
  sub.status = 'canceled';
  sub.ended_at = at;
  sub.canceled_at = sub.canceled_at ?? core.now();
  sub.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: sub.cancellation_details?.reason ?? 'cancellation_requested' };
  return core.emit('customer.subscription.deleted', sub, before, request);
}

/**
 * The period ends and the next charge succeeds. A subscription set to cancel at the period end
 * ends instead (customer.subscription.deleted); a past-due one gets its open invoice paid.
 */
export async function renewSubscription(core: EmulatorCore, id: string): Promise<BillingResult> {
  const sub = liveSubscription(core, id);
  const emitted: Emitted[] = [];
  if (sub.cancel_at_period_end) {
    emitted.push(endNow(core, sub, periodOf(sub).end));
    return finish(sub, emitted);
  }
  const open = typeof sub.latest_invoice === 'string' ? core.store.invoices.get(sub.latest_invoice) : undefined;
  let invoice: Stripe.Invoice;
  if (sub.status === 'past_due' && open?.status === 'open') {
    invoice = open;
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0, attempt_count: invoice.attempt_count + 1, next_payment_attempt: null });
    invoice.status_transitions.paid_at = core.now();
  } else {
    invoice = advance(core, sub, true, emitted);
  }
  emitted.push(core.emit('invoice.paid', invoice), core.emit('invoice.payment_succeeded', invoice));
  setStatus(core, sub, 'active', emitted);
  return finish(sub, emitted, invoice);
}

/** The renewal charge is declined: the period still advances, the invoice stays open and the subscription turns past_due. A second call is a failed retry. */
export async function failPayment(core: EmulatorCore, id: string): Promise<BillingResult> {
  const sub = liveSubscription(core, id);
  const emitted: Emitted[] = [];
  const open = typeof sub.latest_invoice === 'string' ? core.store.invoices.get(sub.latest_invoice) : undefined;
  let invoice: Stripe.Invoice;
  if (sub.status === 'past_due' && open?.status === 'open') {
    invoice = open;
    invoice.attempt_count += 1;
    invoice.next_payment_attempt = core.now() + 3 * 86_400;
  } else {
    invoice = advance(core, sub, false, emitted);
  }
  emitted.push(core.emit('invoice.payment_failed', invoice));
  setStatus(core, sub, 'past_due', emitted);
  return finish(sub, emitted, invoice);
}

/** Cancels at once (customer.subscription.deleted) or at the period end (customer.subscription.updated with cancel_at_period_end). */
export async function cancelSubscription(core: EmulatorCore, id: string, opts: { atPeriodEnd?: boolean } = {}, request?: RequestRef): Promise<BillingResult> {
  const sub = liveSubscription(core, id);
  if (!opts.atPeriodEnd) return finish(sub, [endNow(core, sub, core.now(), request)]);
  return finish(sub, [updateSubscription(core, sub, { cancelAtPeriodEnd: true }, request)].filter((e): e is Emitted => e !== null));
}

export interface SubscriptionPatch {
  cancelAtPeriodEnd?: boolean;
  metadata?: Record<string, string>;
  /** Swaps the price of the item (the first one unless named), as an upgrade or downgrade does. */
  price?: { item?: string; price: Stripe.Price };
}

/** Applies an update and emits customer.subscription.updated with `previous_attributes`; returns null when nothing changed. */
export function updateSubscription(core: EmulatorCore, sub: Stripe.Subscription, patch: SubscriptionPatch, request?: RequestRef): Emitted | null {
  const before: Record<string, unknown> = {};
  if (patch.cancelAtPeriodEnd !== undefined && patch.cancelAtPeriodEnd !== sub.cancel_at_period_end) {
    Object.assign(before, { cancel_at_period_end: sub.cancel_at_period_end, cancel_at: sub.cancel_at, canceled_at: sub.canceled_at, cancellation_details: clone(sub.cancellation_details) });
    sub.cancel_at_period_end = patch.cancelAtPeriodEnd;
    sub.cancel_at = patch.cancelAtPeriodEnd ? periodOf(sub).end : null;
    sub.canceled_at = patch.cancelAtPeriodEnd ? core.now() : null;
    sub.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: patch.cancelAtPeriodEnd ? 'cancellation_requested' : null };
  }
  if (patch.metadata && JSON.stringify(patch.metadata) !== JSON.stringify(sub.metadata)) {
    before.metadata = sub.metadata;
    sub.metadata = patch.metadata;
  }
  if (patch.price) {
    const item = sub.items.data.find((i) => i.id === patch.price?.item) ?? sub.items.data[0];
    if (item && item.price.id !== patch.price.price.id) {
      before.items = clone(sub.items);
      item.price = clone(patch.price.price);
      item.plan = planOf(item.price);
    }
  }
  return Object.keys(before).length ? core.emit('customer.subscription.updated', sub, before, request) : null;
}
