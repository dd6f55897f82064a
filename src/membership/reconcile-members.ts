import { decide, type Policy } from './entitlement.ts';
import { enqueueRoleChange, type DbOrTrx } from './outbox.ts';
import { loadSourcesFor, NO_SOURCES } from './reconcile-sources.ts';
import type { Tiers } from './tiers.ts';

/** A member as Discord shows them now, or someone with a payment or grant who is not in the server. */
export interface Observed {
  userId: string;
  /** Their role ids in the guild; null when they are not in it. */
  roles: readonly string[] | null;
}

export interface MemberCounts {
  checked: number;
  /** Adds queued for members in the server. */
  granted: number;
  revoked: number;
  /** Adds queued for people not in the server: applied when they join. */
  pending: number;
  /** Differences an earlier, still queued change already covers: nothing new was queued. */
  alreadyQueued: number;
}

export const zeroCounts = (): MemberCounts => ({ checked: 0, granted: 0, revoked: 0, pending: 0, alreadyQueued: 0 });

export interface ReconcileContext {
  tiers: Tiers;
  policy: Policy;
  now: number;
  /** When Discord was asked for these members' roles; null for people not in the guild. */
  observedAt: number | null;
}

const REASON = {
  add: 'reconciliation: paid or granted tier role missing',
  remove: 'reconciliation: role not explained by any payment or grant',
} as const;

/**
 * Re-decides a batch of members and queues whatever takes their ACTUAL managed roles to the
 * decision (unlike syncMember, which diffs against the last decision): this is what restores a
 * role removed by hand and removes one added by hand. One call is one transaction's work.
 *
 * A queued change that already does the job is left alone (a second run queues nothing new); one
 * that would now do the wrong thing is superseded, so the worker cannot undo this decision.
 */
export async function reconcileBatch(trx: DbOrTrx, batch: readonly Observed[], ctx: ReconcileContext, counts: MemberCounts): Promise<void> {
  if (batch.length === 0) return;
  const ids = batch.map((m) => m.userId);
  const [sources, previous, queuedRows] = await Promise.all([
    loadSourcesFor(trx, ids),
    trx.selectFrom('entitlements').selectAll().where('discord_user_id', 'in', ids).execute(),
    trx
      .selectFrom('outbox')
      .select(['id', 'discord_user_id', 'role_id', 'kind', 'status', 'created_at'])
      .where('discord_user_id', 'in', ids)
      .where('status', 'in', ['pending', 'waiting_member'])
      .where('kind', 'in', ['role_add', 'role_remove'])
      .execute(),
  ]);
  const decided = new Map(previous.map((p) => [p.discord_user_id, p]));
  const managed = ctx.tiers.managedRoleIds;
  const queued = new Map(queuedRows.map((q) => [`${q.discord_user_id}:${q.role_id}`, q]));
  const queuedRoles = new Map<string, string[]>();
  for (const q of queuedRows) if (q.role_id !== null && managed.has(q.role_id)) queuedRoles.set(q.discord_user_id!, [...(queuedRoles.get(q.discord_user_id!) ?? []), q.role_id]);
  const superseded: number[] = [];
  const entitlementRows = [];
  for (const member of batch) {
    counts.checked += 1;
    const decision = decide(sources.get(member.userId) ?? NO_SOURCES, ctx.tiers, ctx.now, ctx.policy);
    const want = new Set(decision.roleIds);
    const have = new Set((member.roles ?? []).filter((r) => managed.has(r)));
    const inGuild = member.roles !== null;
    for (const roleId of new Set([...want, ...have, ...(queuedRoles.get(member.userId) ?? [])])) {
      const q = queued.get(`${member.userId}:${roleId}`);
      if (want.has(roleId) === have.has(roleId)) {
        // Already right in Discord: a queued change for this role could only flip it back. One
        // queued after Discord answered may follow a change the answer does not show: left alone.
        if (q && (ctx.observedAt === null || q.created_at < ctx.observedAt)) superseded.push(q.id);
        continue;
      }
      const action = want.has(roleId) ? 'add' : 'remove';
      // A pending change is the worker's next job; a waiting one waits for a join that has happened
      // if the member is here (then it must be queued afresh) and has not otherwise.
      if (q && q.kind === `role_${action}` && (q.status === 'pending' || !inGuild)) {
        counts.alreadyQueued += 1;
        continue;
      }
      await enqueueRoleChange(trx, { userId: member.userId, roleId, action, reason: REASON[action], source: 'reconcile', now: ctx.now });
      if (action === 'remove') counts.revoked += 1;
      else if (inGuild) counts.granted += 1;
      else counts.pending += 1;
    }
    const before = decided.get(member.userId);
    const row = { tier_name: decision.tier?.name ?? null, role_ids: JSON.stringify(decision.roleIds), expires_at: decision.expiresAt };
    // Members with nothing to decide and no earlier decision get no row: 100k empty rows help no one.
    const unchanged = before ? before.tier_name === row.tier_name && before.role_ids === row.role_ids && before.expires_at === row.expires_at : decision.tier === null;
    if (!unchanged) entitlementRows.push({ discord_user_id: member.userId, ...row, updated_at: ctx.now });
  }
  if (superseded.length) {
    await trx.updateTable('outbox').set({ status: 'superseded', done_at: ctx.now }).where('id', 'in', superseded).execute();
  }
  if (entitlementRows.length) {
    await trx
      .insertInto('entitlements')
      .values(entitlementRows)
      .onConflict((oc) =>
        oc.column('discord_user_id').doUpdateSet((eb) => ({
          tier_name: eb.ref('excluded.tier_name'),
          role_ids: eb.ref('excluded.role_ids'),
          expires_at: eb.ref('excluded.expires_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

