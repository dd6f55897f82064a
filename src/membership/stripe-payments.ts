import { sql } from 'kysely';
import Stripe from 'stripe';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { disputeAlert } from './billing-messages.ts';
import { syncMember } from './member-sync.ts';
import { enqueueMessage, type DbOrTrx } from './outbox.ts';
import type { EventContext, EventHandler } from './stripe-events.ts';
import { customerOwner, stripeRef as ref } from './stripe-sync.ts';

/*
 * Refund and dispute policy (README: "Refunds and disputes"):
 * - Lifetime tier: a payment (PaymentIntent) that is fully refunded, or disputed, loses the
 *   lifetime access it bought (status refunded / disputed; the member is re-synced, so another
 *   entitlement such as a subscription or a grant still counts). A partial refund keeps access.
 * - Subscriptions: a refund or a dispute does not end access by itself; Stripe's subscription
 *   status governs it (cancel the subscription in Stripe to end it). A dispute queues one alert to
 *   the owners' channel naming the member (without pinging anyone), so the owners can decide.
 * - Every dispute alerts the owners once (dedupe key per dispute): they must answer it in Stripe.
 * - Order safety: a refund or dispute recorded before the checkout it concerns is applied when
 *   that checkout is processed (see applyRecordedLosses), so delivery order does not matter.
 */

const chargeSchema = z.object({ id: z.string(), payment_intent: ref.nullish(), refunded: z.boolean(), amount: z.number(), amount_refunded: z.number() });
const disputeSchema = z.object({ id: z.string(), charge: ref, payment_intent: ref.nullish(), amount: z.number(), currency: z.string(), reason: z.string() });

type Loss = 'refunded' | 'disputed';

/** What a charge event means for a lifetime purchase paid by that PaymentIntent, if anything. */
export function lifetimeLoss(type: string, object: unknown): { paymentIntent: string; loss: Loss } | null {
  if (type === 'charge.refunded') {
    const c = chargeSchema.parse(object);
    return c.payment_intent && c.refunded ? { paymentIntent: c.payment_intent, loss: 'refunded' } : null;
  }
  if (type === 'charge.dispute.created') {
    const d = disputeSchema.parse(object);
    return d.payment_intent ? { paymentIntent: d.payment_intent, loss: 'disputed' } : null;
  }
  return null;
}

/** Marks the paid lifetime purchase of `paymentIntent` as lost and re-syncs its member; returns the member, if any. */
async function loseLifetime(ctx: EventContext, paymentIntent: string, loss: Loss, stateAt: number): Promise<string | null> {
  const purchase = await ctx.trx.selectFrom('lifetime_purchases').select(['id', 'discord_user_id', 'status']).where('payment_intent_id', '=', paymentIntent).executeTakeFirst();
  if (!purchase) return null;
  if (purchase.status === 'paid') {
    await ctx.trx.updateTable('lifetime_purchases').set({ status: loss, state_at: stateAt }).where('id', '=', purchase.id).execute();
    await syncMember(ctx.trx, purchase.discord_user_id, { ...ctx.sync, reason: `Lifetime purchase ${loss}` });
    ctx.logger.info({ purchaseId: purchase.id, userId: purchase.discord_user_id, loss }, 'lifetime access removed');
  }
  return purchase.discord_user_id;
}

/** Called after a lifetime purchase is stored: refunds or disputes of it that were recorded first still count. */
export async function applyRecordedLosses(ctx: EventContext, paymentIntent: string): Promise<void> {
  const rows = await ctx.trx
    .selectFrom('stripe_events')
    .select(['type', 'created', 'payload'])
    .where('type', 'in', ['charge.refunded', 'charge.dispute.created'])
    .where(sql<string>`json_extract(payload, '$.data.object.payment_intent')`, '=', paymentIntent)
    .orderBy('created')
    .execute();
  for (const row of rows) {
    const found = lifetimeLoss(row.type, (JSON.parse(row.payload) as Stripe.Event).data.object);
    if (found) return void (await loseLifetime(ctx, paymentIntent, found.loss, row.created * 1000));
  }
}

export const chargeRefunded: EventHandler = {
  async apply(ctx) {
    const charge = chargeSchema.parse(ctx.event.data.object);
    const found = lifetimeLoss(ctx.event.type, charge);
    const userId = found ? await loseLifetime(ctx, found.paymentIntent, found.loss, ctx.stateAt) : null;
    if (!userId) {
      ctx.logger.info({ chargeId: charge.id, refunded: charge.amount_refunded, of: charge.amount }, 'refund without lifetime effect (partial, or a subscription payment: its status governs access)');
    }
  },
};

/** The member behind a disputed charge that bought no lifetime tier: read the charge's customer (outside the transaction). */
async function disputedCustomer(event: Stripe.Event, ports: { db: Db; stripe: Stripe }): Promise<string | null> {
  const d = disputeSchema.parse(event.data.object);
  if (d.payment_intent) {
    const lifetime = await ports.db.selectFrom('lifetime_purchases').select('id').where('payment_intent_id', '=', d.payment_intent).executeTakeFirst();
    if (lifetime) return null;
  }
  try {
    const charge = await ports.stripe.charges.retrieve(d.charge);
    return typeof charge.customer === 'string' ? charge.customer : (charge.customer?.id ?? null);
  } catch (error) {
    // A charge Stripe does not know cannot name anyone; anything else is worth a retry.
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
    throw error;
  }
}

export const chargeDisputeCreated: EventHandler<string | null> = {
  prepare: disputedCustomer,
  async apply(ctx, customerId) {
    const d = disputeSchema.parse(ctx.event.data.object);
    const lifetimeUser = d.payment_intent ? await loseLifetime(ctx, d.payment_intent, 'disputed', ctx.stateAt) : null;
    const userId = lifetimeUser ?? (customerId ? await customerOwner(ctx.trx, customerId) : null);
    const effect = lifetimeUser ? 'lifetime_revoked' : userId ? 'subscription_unchanged' : 'unknown_payment';
    await enqueueMessage(ctx.trx, {
      target: { channelId: ctx.ownerChannelId },
      body: disputeAlert({ userId, disputeId: d.id, amount: d.amount, currency: d.currency, reason: d.reason, effect }),
      dedupeKey: `alert:dispute:${d.id}`,
      reason: 'Payment disputed',
      source: ctx.source,
      now: ctx.now,
    });
  },
};
