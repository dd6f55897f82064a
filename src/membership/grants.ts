import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import type { Decision } from './entitlement.ts';
import { syncMember } from './member-sync.ts';
import type { Tier } from './tiers.ts';

export type GrantDeps = Pick<Deps, 'db' | 'tiers' | 'policy' | 'clock' | 'logger' | 'outbox'>;

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };
const MAX_MS = 3_660 * DAY_MS; // ten years: anything longer is a typo
export const UNTIL_EXAMPLE = 'Give a date like 2026-12-31 (access lasts through that day, UTC) or a duration like 30d, 12h or 2w; leave it empty for no end.';

/**
 * `/grant … until`: a date `YYYY-MM-DD` means through the end of that day in UTC (the grant
 * lapses at the next midnight UTC); a duration (`12h`, `30d`, `2w`) counts from `now`.
 */
export function parseUntil(input: string, now: number): number {
  const text = input.trim().toLowerCase();
  let until: number | undefined;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const duration = /^(\d{1,5})\s*([hdw])$/.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const start = Date.UTC(y, m - 1, d);
    const valid = new Date(start).getUTCFullYear() === y && new Date(start).getUTCMonth() === m - 1 && new Date(start).getUTCDate() === d;
    if (!valid) throw new UserError('invalid_input', `${input} is not a calendar date. ${UNTIL_EXAMPLE}`);
    until = start + DAY_MS;
    if (until <= now) throw new UserError('invalid_input', `${input} has already passed. ${UNTIL_EXAMPLE}`);
  } else if (duration && Number(duration[1]) > 0) {
    until = now + Number(duration[1]) * UNIT_MS[duration[2]!]!;
  }
  if (until === undefined) throw new UserError('invalid_input', `"${input}" is neither a date nor a duration. ${UNTIL_EXAMPLE}`);
  if (until - now > MAX_MS) throw new UserError('invalid_input', `That is more than ten years away. ${UNTIL_EXAMPLE}`);
  return until;
}

export interface Moderator {
  id: string;
  /** Their username, for the stored reason and Discord's audit log. */
  name: string;
}

export interface GrantResult {
  grantId: number;
  until: number | null;
  /** Earlier active grants this one replaced (one complimentary tier per member at a time). */
  replaced: number;
  decision: Decision;
}

/** Stores a complimentary grant, re-decides the member and queues the role change, in one transaction. */
export async function grantTier(deps: GrantDeps, userId: string, tier: Tier, until: number | null, moderator: Moderator): Promise<GrantResult> {
  const now = deps.clock.now();
  const reason = `complimentary, granted by @${moderator.name}`;
  const result = await deps.db.transaction().execute(async (trx) => {
    // A new grant replaces the old one, so a moderator can also lower or shorten a grant.
    const replaced = await trx
      .updateTable('grants')
      .set({ revoked_at: now, revoked_by: moderator.id })
      .where('discord_user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
      .executeTakeFirst();
    const { id } = await trx
      .insertInto('grants')
      .values({ discord_user_id: userId, tier_name: tier.name, until, granted_by: moderator.id, reason, created_at: now, revoked_at: null, revoked_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const decision = await syncMember(trx, userId, { tiers: deps.tiers, policy: deps.policy, now, reason, source: `grant:${id}` });
    return { grantId: id, until, replaced: Number(replaced.numUpdatedRows), decision };
  });
  deps.outbox.kick();
  deps.logger.info({ userId, tier: tier.name, until, grantId: result.grantId, by: moderator.id }, 'grant stored');
  return result;
}

export interface RevokeResult {
  revoked: { id: number; tierName: string }[];
  decision: Decision;
}

/** Ends the member's active grants. Only the grant's access goes: a paid subscription still counts. */
export async function revokeGrants(deps: GrantDeps, userId: string, moderator: Moderator): Promise<RevokeResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('grants')
      .select(['id', 'tier_name'])
      .where('discord_user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
      .execute();
    if (active.length === 0) throw new UserError('not_found', 'That member has no active grant; paid memberships are managed in Stripe.');
    const ids = active.map((g) => g.id);
    await trx.updateTable('grants').set({ revoked_at: now, revoked_by: moderator.id }).where('id', 'in', ids).execute();
    const reason = `grant revoked by @${moderator.name}`;
    const decision = await syncMember(trx, userId, { tiers: deps.tiers, policy: deps.policy, now, reason, source: `grant:${ids.join(',')}` });
    return { revoked: active.map((g) => ({ id: g.id, tierName: g.tier_name })), decision };
  });
  deps.outbox.kick();
  deps.logger.info({ userId, grants: result.revoked.map((g) => g.id), by: moderator.id }, 'grants revoked');
  return result;
}
