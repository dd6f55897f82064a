// Leaderboards over the one points ledger: read from the rollup (src/qa/points-rollup.ts), so a board
// is an index range scan whatever the ledger's size. Ties: equal points are ordered by when each member
// reached their total (their latest credit still standing; for challenges that is the accepted entry's
// time), earlier first, then by member id so the order is total.
import { sql, type Kysely } from 'kysely';
import type { Database, PointsSource } from '../db/schema.ts';
import { ALL_SOURCES, ALL_TIME, REVERSED, rollupZone, standing } from '../qa/points-rollup.ts';
import { startOfZonedMonth, zonedMonthKey } from '../zoned-time.ts';

type Q = Kysely<Database>;

export type LeaderboardPeriod = 'month' | 'all';

export interface BoardQuery {
  period: LeaderboardPeriod;
  /** One source; every source when left out. */
  source?: PointsSource;
  /** The community zone (REPORT_TIMEZONE): which month `now` is in. */
  timeZone: string;
  now: number;
}

export interface LeaderboardQuery extends BoardQuery {
  limit: number;
  offset?: number;
}

export interface RankedRow {
  rank: number;
  memberId: string;
  points: number;
  /** When the member reached this total: the tie-break, earlier first. */
  reachedAt: number;
}

/** The period's key in the rollup: '2026-11' (the month containing `now` in the zone) or 'all'. */
export function periodKey(q: Pick<BoardQuery, 'period' | 'timeZone' | 'now'>): string {
  return q.period === 'all' ? ALL_TIME : zonedMonthKey(q.now, q.timeZone);
}

/** Members with more than 0 points in the period, best first. */
export async function leaderboard(db: Q, q: LeaderboardQuery): Promise<RankedRow[]> {
  const offset = q.offset ?? 0;
  if (!(await rollupServes(db, q))) return leaderboardFromLedger(db, q);
  const rows = await db
    .selectFrom('points_rollup')
    .select(['member_id', 'total', 'reached_at'])
    .where('period', '=', periodKey(q))
    .where('source', '=', q.source ?? ALL_SOURCES)
    .where('total', '>', 0)
    .orderBy('total', 'desc')
    .orderBy('reached_at', 'asc')
    .orderBy('member_id', 'asc')
    .limit(q.limit)
    .offset(offset)
    .execute();
  return rows.map((r, i) => ({ rank: offset + i + 1, memberId: r.member_id, points: r.total, reachedAt: r.reached_at ?? 0 }));
}

/** A member's place on the board, or null with no points in the period. Counts only who is ahead. */
export async function rankOf(db: Q, memberId: string, q: BoardQuery): Promise<RankedRow | null> {
  if (!(await rollupServes(db, q))) return (await leaderboardFromLedger(db, { ...q, limit: -1 })).find((r) => r.memberId === memberId) ?? null;
  const period = periodKey(q);
  const source = q.source ?? ALL_SOURCES;
  const me = await db
    .selectFrom('points_rollup')
    .select(['total', 'reached_at'])
    .where('period', '=', period)
    .where('source', '=', source)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  if (!me || me.total <= 0) return null;
  const reached = me.reached_at ?? 0;
  // Three index ranges (more points; same points sooner; same points and time, lower id) in board order.
  const ahead = await sql<{ n: number }>`select
      (select count(*) from points_rollup where period = ${period} and source = ${source} and total > ${me.total})
    + (select count(*) from points_rollup where period = ${period} and source = ${source} and total = ${me.total} and reached_at < ${reached})
    + (select count(*) from points_rollup where period = ${period} and source = ${source} and total = ${me.total} and reached_at = ${reached} and member_id < ${memberId})
    as n`.execute(db);
  return { rank: Number(ahead.rows[0]?.n ?? 0) + 1, memberId, points: me.total, reachedAt: reached };
}

/** The rollup's month keys are in one zone: asked for another (or before the startup sync), read the ledger. */
async function rollupServes(db: Q, q: BoardQuery): Promise<boolean> {
  return q.period === 'all' || (await rollupZone(db)) === q.timeZone;
}

/**
 * The same board computed from the raw ledger with one GROUP BY (a full scan): the exact fallback for
 * another zone, and the benchmark's naive baseline. `limit: -1` = everyone.
 */
export async function leaderboardFromLedger(db: Q, q: LeaderboardQuery): Promise<RankedRow[]> {
  const offset = q.offset ?? 0;
  const from = q.period === 'all' ? Number.MIN_SAFE_INTEGER : startOfZonedMonth(q.now, q.timeZone);
  const to = q.period === 'all' ? Number.MAX_SAFE_INTEGER : startOfZonedMonth(q.now, q.timeZone, 1);
  const result = await sql<{ member_id: string; total: number; reached_at: number | null }>`
    select p.member_id, sum(p.amount) as total, max(case when ${standing('p')} then p.at end) as reached_at
    from points p
    left join points b on substr(p.ref, -9) = ${REVERSED} and b.source = p.source and b.member_id = p.member_id
      and b.ref = substr(p.ref, 1, length(p.ref) - 9) and b.id < p.id
    where coalesce(b.at, p.at) >= ${from} and coalesce(b.at, p.at) < ${to}
      ${q.source ? sql`and p.source = ${q.source}` : sql``}
    group by p.member_id
    having total > 0
    order by total desc, reached_at asc, p.member_id asc
    limit ${q.limit} offset ${offset}`.execute(db);
  return result.rows.map((r, i) => ({ rank: offset + i + 1, memberId: r.member_id, points: r.total, reachedAt: r.reached_at ?? 0 }));
}
