import { z } from 'zod';
import { syncMember } from './member-sync.ts';
import type { EventContext, EventHandler } from './stripe-events.ts';
import { applyRecordedLosses } from './stripe-payments.ts';
import { attributeCustomer, customerOwner, DISCORD_ID, stripeRef as ref } from './stripe-sync.ts';

/**
 * checkout.session.completed (and async_payment_succeeded): links the Stripe customer to the
 * Discord user Checkout carried (client_reference_id / metadata.discord_user_id, set by /join;
 * never a typed email), and records a paid lifetime purchase.
 */

const sessionSchema = z.object({
  id: z.string(),
  mode: z.string(),
  customer: ref.nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  payment_intent: ref.nullish(),
  payment_status: z.string(),
});
const discordId = (v: string | null | undefined) => (v && DISCORD_ID.test(v) ? v : null);

export const checkoutCompleted: EventHandler = {
  async apply(ctx) {
    const s = sessionSchema.parse(ctx.event.data.object);
    const byRef = s.client_reference_id ?? null;
    const byMeta = s.metadata?.discord_user_id ?? null;
    if (byRef && byMeta && byRef !== byMeta) {
      ctx.logger.error({ sessionId: s.id, clientReferenceId: byRef, metadataUserId: byMeta }, 'checkout session names two different members; not linked');
      return;
    }
    const userId = discordId(byRef ?? byMeta);
    if (!userId) return void ctx.logger.warn({ sessionId: s.id }, 'checkout session carries no Discord id (not created by /join); ignored');
    if (s.customer) await linkCustomer(ctx, s.customer, userId);
    if (s.mode === 'payment') await recordLifetime(ctx, s, userId);
    await syncMember(ctx.trx, userId, { ...ctx.sync, reason: 'Stripe Checkout completed' });
  },
};

/** Links a customer to the member Checkout named; a customer already linked to someone else stays theirs. */
async function linkCustomer(ctx: EventContext, customerId: string, userId: string): Promise<void> {
  const owner = await customerOwner(ctx.trx, customerId);
  if (owner && owner !== userId) {
    ctx.logger.error({ customerId, linkedTo: owner, claimedBy: userId }, 'Stripe customer is already linked to another member; not relinked');
    return;
  }
  if (!owner) await ctx.trx.insertInto('customers').values({ stripe_customer_id: customerId, discord_user_id: userId, linked_at: ctx.stateAt, source: ctx.source }).execute();
  // Subscription events that arrived before this link were stored unattributed: they count now.
  await attributeCustomer(ctx.trx, customerId, userId);
}

async function recordLifetime(ctx: EventContext, s: z.infer<typeof sessionSchema>, userId: string): Promise<void> {
  const priceId = s.metadata?.price_id;
  if (!priceId || !ctx.tiers.byPrice(priceId)?.lifetime) return void ctx.logger.warn({ sessionId: s.id, priceId }, 'payment-mode checkout is not for a lifetime tier; ignored');
  if (s.payment_status !== 'paid') return void ctx.logger.info({ sessionId: s.id }, 'lifetime checkout not paid yet (async payment): waiting for async_payment_succeeded');
  await ctx.trx
    .insertInto('lifetime_purchases')
    .values({ id: s.id, discord_user_id: userId, stripe_customer_id: s.customer ?? null, payment_intent_id: s.payment_intent ?? null, price_id: priceId, status: 'paid', purchased_at: ctx.stateAt, state_at: ctx.stateAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  if (s.payment_intent) await applyRecordedLosses(ctx, s.payment_intent);
}
