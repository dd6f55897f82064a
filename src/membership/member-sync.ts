import type { Tiers } from './tiers.ts';
import type { Selectable } from 'kysely';
import type { GrantsTable, LifetimePurchasesTable, SubscriptionsTable } from '../db/schema.ts';
import { decide, roleDiff, type Decision, type GrantFacts, type LifetimeFacts, type MemberSources, type Policy, type SubscriptionFacts } from './entitlement.ts';
import { enqueueRoleChange, type DbOrTrx } from './outbox.ts';

export interface SyncContext {
  tiers: Tiers;
  policy: Policy;
  now: number;
  reason: string;
  source: string;
}

/** Stored rows as the entitlement policy's inputs (the one mapping; reconciliation reuses it). */
export const subscriptionFacts = (s: Selectable<SubscriptionsTable>): SubscriptionFacts => ({
  id: s.id,
  status: s.status,
  priceIds: JSON.parse(s.price_ids) as string[],
  cancelAtPeriodEnd: s.cancel_at_period_end === 1,
  cancelAt: s.cancel_at,
  currentPeriodEnd: s.current_period_end,
  trialEnd: s.trial_end,
  endedAt: s.ended_at,
  pastDueSince: s.past_due_since,
});
export const lifetimeFacts = (l: Selectable<LifetimePurchasesTable>): LifetimeFacts => ({ id: l.id, priceId: l.price_id, status: l.status });
export const grantFacts = (g: Selectable<GrantsTable>): GrantFacts => ({ id: g.id, tierName: g.tier_name, until: g.until, revokedAt: g.revoked_at });

/** Everything that can entitle a member, from the database. */
export async function loadSources(db: DbOrTrx, userId: string): Promise<MemberSources> {
  const [subs, lifetime, grants] = await Promise.all([
    db.selectFrom('subscriptions').selectAll().where('discord_user_id', '=', userId).execute(),
    db.selectFrom('lifetime_purchases').selectAll().where('discord_user_id', '=', userId).execute(),
    db.selectFrom('grants').selectAll().where('discord_user_id', '=', userId).execute(),
  ]);
  return { subscriptions: subs.map(subscriptionFacts), lifetime: lifetime.map(lifetimeFacts), grants: grants.map(grantFacts) };
}

/**
 * Re-decides one member's tier and queues the role changes that differ from the last decision,
 * in the caller's transaction. Deciding twice with nothing changed queues nothing.
 */
export async function syncMember(trx: DbOrTrx, userId: string, ctx: SyncContext): Promise<Decision> {
  const decision = decide(await loadSources(trx, userId), ctx.tiers, ctx.now, ctx.policy);
  const previous = await trx.selectFrom('entitlements').select('role_ids').where('discord_user_id', '=', userId).executeTakeFirst();
  const { add, remove } = roleDiff(decision.roleIds, previous ? (JSON.parse(previous.role_ids) as string[]) : [], ctx.tiers.managedRoleIds);
  for (const roleId of add) await enqueueRoleChange(trx, { userId, roleId, action: 'add', reason: ctx.reason, source: ctx.source, now: ctx.now });
  for (const roleId of remove) await enqueueRoleChange(trx, { userId, roleId, action: 'remove', reason: ctx.reason, source: ctx.source, now: ctx.now });
  const row = { tier_name: decision.tier?.name ?? null, role_ids: JSON.stringify(decision.roleIds), expires_at: decision.expiresAt, updated_at: ctx.now };
  await trx
    .insertInto('entitlements')
    .values({ discord_user_id: userId, ...row })
    .onConflict((oc) => oc.column('discord_user_id').doUpdateSet(row))
    .execute();
  return decision;
}

/** Members whose decision lapses by itself by `now` (grace period over, grant expired, cancel date). */
export async function expiredDecisions(db: DbOrTrx, now: number): Promise<string[]> {
  const rows = await db.selectFrom('entitlements').select('discord_user_id').where('expires_at', '<=', now).execute();
  return rows.map((r) => r.discord_user_id);
}
