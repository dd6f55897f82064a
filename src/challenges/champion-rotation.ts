// The monthly champion: once the month has ended in the community's zone, the member with the most
// challenge points that month (ties: the earlier accepted entry) gets CHALLENGE_CHAMPION_ROLE_ID and
// the previous champion loses it. The job runs every few minutes and is a no-op once the month is
// decided: the champions row (primary key = month) is inserted in the same transaction that queues
// the role changes (outbox), so it happens exactly once, even across restarts, and a bot that was down
// on the 1st catches up at its first run. Points credited for that month after the decision (a late
// verdict) update its leaderboard but do not rotate again.
import type { Db } from '../db/database.ts';
import type { Clock, Deps } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import { enqueueRoleChange } from '../membership/outbox.ts';
import { leaderboard } from '../reputation/leaderboard.ts';
import { startOfZonedMonth, zonedMonthKey } from '../zoned-time.ts';
import { monthLabel } from './leaderboard-view.ts';

export interface ChampionPorts {
  db: Db;
  clock: Clock;
  logger: Logger;
  outbox: Deps['outbox'];
}

export interface ChampionDecision {
  month: string;
  /** Null: nobody scored challenge points that month. */
  memberId: string | null;
  points: number | null;
  /** Previous champions whose role was queued for removal. */
  removed: string[];
}

/** Decides the month that ended last, if not decided yet. Returns the decision, or null when nothing was due. */
export async function rotateChampion(ports: ChampionPorts, setup: { timezone: string; championRoleId: string }): Promise<ChampionDecision | null> {
  const now = ports.clock.now();
  const lastInstant = startOfZonedMonth(now, setup.timezone) - 1;
  const month = zonedMonthKey(lastInstant, setup.timezone);
  const decided = await ports.db.selectFrom('champions').select('month').where('month', '=', month).executeTakeFirst();
  if (decided) return null;

  const decision = await ports.db.transaction().execute(async (trx) => {
    const [top] = await leaderboard(trx, { period: 'month', source: 'challenge', timeZone: setup.timezone, now: lastInstant, limit: 1 });
    const inserted = await trx
      .insertInto('champions')
      .values({ month, member_id: top?.memberId ?? null, points: top?.points ?? null, decided_at: now, rotated_out_at: null })
      .onConflict((oc) => oc.column('month').doNothing())
      .returning('month')
      .executeTakeFirst();
    if (!inserted) return null; // another run decided it first
    const holders = await trx
      .selectFrom('champions')
      .select(['month', 'member_id'])
      .where('month', '<', month)
      .where('member_id', 'is not', null)
      .where('rotated_out_at', 'is', null)
      .execute();
    const label = monthLabel(month);
    const removed: string[] = [];
    for (const holder of holders) {
      // A champion who wins again keeps the role: no remove-then-add flicker.
      if (holder.member_id !== top?.memberId) {
        await enqueueRoleChange(trx, { userId: holder.member_id!, roleId: setup.championRoleId, action: 'remove', reason: `Challenge champion: ${label} has a new champion`, source: `champion:${month}`, now });
        removed.push(holder.member_id!);
      }
      await trx.updateTable('champions').set({ rotated_out_at: now }).where('month', '=', holder.month).execute();
    }
    if (top && !holders.some((h) => h.member_id === top.memberId)) {
      await enqueueRoleChange(trx, { userId: top.memberId, roleId: setup.championRoleId, action: 'add', reason: `Challenge champion of ${label}`, source: `champion:${month}`, now });
    }
    return { month, memberId: top?.memberId ?? null, points: top?.points ?? null, removed };
  });
  if (!decision) return null;
  ports.outbox.kick();
  ports.logger.info({ month, championId: decision.memberId, points: decision.points, removed: decision.removed }, 'challenge champion decided');
  return decision;
}
