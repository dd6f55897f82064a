import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import type { Policy } from './entitlement.ts';
import { expiredDecisions, syncMember } from './member-sync.ts';
import type { Tiers } from './tiers.ts';

export interface ExpiryDeps {
  db: Db;
  tiers: Tiers;
  policy: Policy;
  clock: Clock;
  /** Called once when any role change was queued: deps.outbox.kick. */
  onCommitted?: () => void;
}

const sameRoles = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * The scheduled check. No Stripe event arrives when a grace period runs out, a cancellation date
 * passes or a grant expires, so every decision whose `expires_at` has passed is re-decided here.
 * One transaction per member; returns how many members' roles changed.
 */
export async function reviewExpiredEntitlements(deps: ExpiryDeps): Promise<number> {
  const now = deps.clock.now();
  let changed = 0;
  for (const userId of await expiredDecisions(deps.db, now)) {
    const did = await deps.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('entitlements').select('role_ids').where('discord_user_id', '=', userId).executeTakeFirst();
      const decision = await syncMember(trx, userId, {
        tiers: deps.tiers,
        policy: deps.policy,
        now,
        reason: 'Access lapsed: grace period over, cancellation took effect or grant expired',
        source: 'expiry',
      });
      return !sameRoles(before ? (JSON.parse(before.role_ids) as string[]) : [], decision.roleIds);
    });
    if (did) changed += 1;
  }
  if (changed > 0) deps.onCommitted?.();
  return changed;
}
