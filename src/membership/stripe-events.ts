import type { Transaction } from 'kysely';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { paymentFailedDm, trialEndingDm } from './billing-messages.ts';
import type { Policy } from './entitlement.ts';
import { enqueueMessage } from './outbox.ts';
import { checkoutCompleted } from './stripe-checkout.ts';
import { chargeDisputeCreated, chargeRefunded } from './stripe-payments.ts';
import { applySubscription, customerOwner, DISCORD_ID, isAmbiguousTie, stripeRef as ref, subscriptionState } from './stripe-sync.ts';
import type { Tiers } from './tiers.ts';

/** What a handler may use while its event's transaction is open. */
export interface EventContext {
  trx: Transaction<Database>;
  event: Stripe.Event;
  /** The event's own time in ms (event.created × 1000): the source time of the state it carries. */
  stateAt: number;
  now: number;
  /** "stripe:evt_…", recorded on every role change and message it queues. */
  source: string;
  /** For syncMember / applySubscription: everything but the reason. */
  sync: { tiers: Tiers; policy: Policy; now: number; source: string };
  policy: Policy;
  tiers: Tiers;
  logger: Logger;
  ownerChannelId: string;
}

/**
 * One handler per event type. `prepare` does the network reads (Stripe) before the transaction
 * opens, so a slow API never holds the database; `apply` writes, in the event's transaction.
 */
export interface EventHandler<P = undefined> {
  prepare?(event: Stripe.Event, ports: { db: Db; stripe: Stripe }): Promise<P>;
  apply(ctx: EventContext, prepared: P): Promise<void>;
}

const metadata = z.record(z.string(), z.string()).nullish();
const invoiceSchema = z.object({
  id: z.string(),
  customer: ref.nullish(),
  // Since API version 2025-03-31 an invoice names its subscription here, not at the top level.
  parent: z.object({ subscription_details: z.object({ subscription: ref, metadata }).nullish() }).nullish(),
});
const discordId = (v: string | null | undefined) => (v && DISCORD_ID.test(v) ? v : null);

/**
 * A subscription event carries the state as of its second. When we already hold a different state
 * from that same second, the current one is fetched from Stripe (and wins the tie), so an upgrade
 * made right after creation is never lost to a coin toss.
 */
const subscriptionChanged: EventHandler<Stripe.Subscription | null> = {
  async prepare(event, { db, stripe }) {
    const incoming = subscriptionState(event.data.object);
    const stored = await db.selectFrom('subscriptions').selectAll().where('id', '=', incoming.id).executeTakeFirst();
    return stored && isAmbiguousTie(stored, incoming, event.created * 1000) ? stripe.subscriptions.retrieve(incoming.id) : null;
  },
  async apply(ctx, fetched) {
    const previous = (ctx.event.data as { previous_attributes?: { status?: unknown } }).previous_attributes;
    const status = (ctx.event.data.object as { status?: unknown }).status;
    const enteredPastDue = status === 'past_due' && previous?.status !== undefined && previous.status !== 'past_due';
    const reason = `Stripe ${ctx.event.type.replace('customer.', '')}`;
    await applySubscription(ctx.trx, fetched ?? ctx.event.data.object, { ...ctx.sync, stateAt: ctx.stateAt, enteredPastDue, reason, fetched: fetched !== null });
  },
};

/** invoice.paid carries no subscription state: the subscription is re-fetched (a paid invoice ends past_due). */
const invoicePaid: EventHandler<Stripe.Subscription | null> = {
  async prepare(event, { stripe }) {
    const id = invoiceSchema.parse(event.data.object).parent?.subscription_details?.subscription;
    return id ? stripe.subscriptions.retrieve(id) : null;
  },
  async apply(ctx, sub) {
    if (!sub) return;
    // The fetch shows the subscription as it is now. Still active, it is what the paid invoice showed
    // at event.created; anything else (cancelled, failing again) happened since, so the history
    // stamps it at the fetch, never back at the invoice's time.
    const historyAt = sub.status === 'active' || sub.status === 'trialing' ? ctx.stateAt : ctx.now;
    await applySubscription(ctx.trx, sub, { ...ctx.sync, stateAt: ctx.stateAt, historyAt, fetched: true, reason: 'Stripe invoice paid' });
  },
};

const invoicePaymentFailed: EventHandler = {
  async apply(ctx) {
    const invoice = invoiceSchema.parse(ctx.event.data.object);
    const details = invoice.parent?.subscription_details;
    const sub = details ? await ctx.trx.selectFrom('subscriptions').select(['discord_user_id', 'status', 'past_due_since']).where('id', '=', details.subscription).executeTakeFirst() : undefined;
    const userId = discordId(details?.metadata?.discord_user_id) ?? sub?.discord_user_id ?? (invoice.customer ? await customerOwner(ctx.trx, invoice.customer) : null);
    if (!userId) return void ctx.logger.warn({ invoiceId: invoice.id }, 'payment failed for a customer we cannot match to a member; no DM');
    // Grace counts from when the subscription became past_due (this failure, or an earlier one in the same stretch).
    const since = sub?.status === 'past_due' && sub.past_due_since !== null ? Math.min(sub.past_due_since, ctx.stateAt) : ctx.stateAt;
    await enqueueMessage(ctx.trx, {
      target: { userId },
      body: paymentFailedDm(since + ctx.policy.gracePeriodMs, await tierName(ctx, userId)),
      dedupeKey: `dm:payment_failed:${ctx.event.id}`,
      reason: 'Payment failed',
      source: ctx.source,
      now: ctx.now,
    });
  },
};

const trialWillEnd: EventHandler = {
  async apply(ctx) {
    const { userId } = await applySubscription(ctx.trx, ctx.event.data.object, { ...ctx.sync, stateAt: ctx.stateAt, reason: 'Stripe trial ending' });
    const trialEnd = (ctx.event.data.object as { trial_end?: unknown }).trial_end;
    if (!userId || typeof trialEnd !== 'number') return void ctx.logger.warn({ eventId: ctx.event.id }, 'trial ending for a subscription we cannot match to a member; no DM');
    await enqueueMessage(ctx.trx, {
      target: { userId },
      body: trialEndingDm(trialEnd * 1000, await tierName(ctx, userId)),
      dedupeKey: `dm:trial_will_end:${ctx.event.id}`,
      reason: 'Trial ending',
      source: ctx.source,
      now: ctx.now,
    });
  },
};

async function tierName(ctx: EventContext, userId: string): Promise<string | null> {
  const row = await ctx.trx.selectFrom('entitlements').select('tier_name').where('discord_user_id', '=', userId).executeTakeFirst();
  return row?.tier_name ?? null;
}

// Types not listed are recorded and marked processed with no effect.
const HANDLERS: Readonly<Record<string, EventHandler<any>>> = {
  'checkout.session.completed': checkoutCompleted,
  'checkout.session.async_payment_succeeded': checkoutCompleted,
  'customer.subscription.created': subscriptionChanged,
  'customer.subscription.updated': subscriptionChanged,
  'customer.subscription.deleted': subscriptionChanged,
  'customer.subscription.paused': subscriptionChanged,
  'customer.subscription.resumed': subscriptionChanged,
  'customer.subscription.trial_will_end': trialWillEnd,
  'invoice.paid': invoicePaid,
  'invoice.payment_failed': invoicePaymentFailed,
  'charge.refunded': chargeRefunded,
  'charge.dispute.created': chargeDisputeCreated,
};

export const HANDLED_EVENT_TYPES: readonly string[] = Object.keys(HANDLERS);

export function handlerFor(type: string): EventHandler<unknown> | undefined {
  return Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : undefined;
}
