// Reward roles follow levels: a job reads the ledger past its watermark (points.id), re-levels
// the members those rows touch, and queues role changes through the outbox, all in one
// transaction per batch. A crash before commit redoes the batch; after commit the watermark has
// moved and the levels are stored, so no role change is ever queued twice. A watermark on ids is
// safe because SQLite has one writer at a time: no row with a lower id can commit after a higher one.
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Job } from '../jobs/scheduler.ts';
import type { Logger } from '../logging/logger.ts';
import { enqueueRoleChange, type DbOrTrx } from '../membership/outbox.ts';
import { levelFor, rewardRoleDiff, rewardRolesFor } from './levels.ts';
import { totalsOf } from './rank.ts';
import type { ReputationSetup } from './reputation-config.ts';

export interface LevelsJobDeps {
  db: Db;
  reputation: ReputationSetup;
  clock: Clock;
  logger: Logger;
  outbox: { kick(): void };
}

const WATERMARK = 'levels';
const BATCH = 5_000;

class LostRace extends Error {}

/** Every 15 s by default: a run with nothing new is one indexed lookup. */
export function reputationJobs(deps: LevelsJobDeps, cron = '*/15 * * * * *'): Job[] {
  return [{ name: 'reputation-levels', cron, run: () => applyLevels(deps) }];
}

export interface LevelsRun {
  members: number;
  roleChanges: number;
  lastId: number;
}

/** Catches up with the ledger in batches; returns what it did. */
export async function applyLevels(deps: LevelsJobDeps, batch = BATCH): Promise<LevelsRun> {
  const result: LevelsRun = { members: 0, roleChanges: 0, lastId: 0 };
  for (;;) {
    let step: { members: number; roleChanges: number; lastId: number; done: boolean };
    try {
      step = await deps.db.transaction().execute((trx) => levelBatch(trx, deps, batch));
    } catch (error) {
      // Another run (a second process) moved the watermark first: its batch covered ours.
      if (error instanceof LostRace) break;
      throw error;
    }
    result.members += step.members;
    result.roleChanges += step.roleChanges;
    result.lastId = step.lastId;
    if (step.roleChanges > 0) deps.outbox.kick();
    if (step.done) break;
  }
  return result;
}

async function levelBatch(trx: DbOrTrx, deps: LevelsJobDeps, batch: number) {
  const { reputation } = deps;
  const now = deps.clock.now();
  const settings = JSON.stringify({ levels: reputation.levels, rewardRoles: reputation.rewardRoles });
  const mark = (await trx.selectFrom('reputation_watermarks').selectAll().where('name', '=', WATERMARK).executeTakeFirst()) ?? { last_id: 0, settings: '' };
  const maxId = Number((await trx.selectFrom('points').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst())?.max ?? 0);
  const resettle = mark.settings !== settings;
  const upTo = resettle ? maxId : Math.min(maxId, mark.last_id + batch);
  if (!resettle && upTo <= mark.last_id) return { members: 0, roleChanges: 0, lastId: mark.last_id, done: true };

  // New settings (curve or reward roles): every member with points or a stored level is re-levelled.
  const members = resettle
    ? [
        ...new Set([
          ...(await trx.selectFrom('member_points').select('member_id').distinct().execute()).map((r) => r.member_id),
          ...(await trx.selectFrom('reputation_levels').select('member_id').execute()).map((r) => r.member_id),
        ]),
      ]
    : (await trx.selectFrom('points').select('member_id').distinct().where('id', '>', mark.last_id).where('id', '<=', upTo).execute()).map((r) => r.member_id);

  const claimed = await trx
    .insertInto('reputation_watermarks')
    .values({ name: WATERMARK, last_id: upTo, settings, updated_at: now })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ last_id: upTo, settings, updated_at: now }).where('reputation_watermarks.last_id', '=', mark.last_id).where('reputation_watermarks.settings', '=', mark.settings),
    )
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) throw new LostRace();

  const roleChanges = await relevel(trx, deps, members, now);
  return { members: members.length, roleChanges, lastId: upTo, done: upTo >= maxId };
}

async function relevel(trx: DbOrTrx, deps: LevelsJobDeps, members: readonly string[], now: number): Promise<number> {
  const { levels, rewardRoles } = deps.reputation;
  const totals = await totalsOf(trx, members);
  let changes = 0;
  for (let i = 0; i < members.length; i += 500) {
    const chunk = members.slice(i, i + 500);
    const stored = new Map((await trx.selectFrom('reputation_levels').selectAll().where('member_id', 'in', chunk).execute()).map((r) => [r.member_id, r]));
    for (const memberId of chunk) {
      const level = levelFor(totals.get(memberId) ?? 0, levels);
      const before = stored.get(memberId);
      const held = before ? (JSON.parse(before.role_ids) as string[]) : [];
      const desired = rewardRolesFor(level, rewardRoles);
      const { add, remove } = rewardRoleDiff(desired, held, rewardRoles);
      for (const [action, roleIds] of [['add', add], ['remove', remove]] as const) {
        for (const roleId of roleIds) {
          const at = rewardRoles.find((r) => r.roleId === roleId)?.level ?? level;
          const reason = action === 'add' ? `Reached reputation level ${at}` : `Fell below reputation level ${at}`;
          await enqueueRoleChange(trx, { userId: memberId, roleId, action, reason, source: 'reputation:levels', now });
          changes++;
        }
      }
      if (before ? before.level !== level || before.role_ids !== JSON.stringify(desired) : level > 0) {
        await trx
          .insertInto('reputation_levels')
          .values({ member_id: memberId, level, role_ids: JSON.stringify(desired), updated_at: now })
          .onConflict((oc) => oc.column('member_id').doUpdateSet({ level, role_ids: JSON.stringify(desired), updated_at: now }))
          .execute();
      }
    }
  }
  return changes;
}
