// What /rank shows, read from the ledger rollups (member_points, member_points_daily): a few
// index lookups per member however long their history is.
import type { DbOrTrx } from '../membership/outbox.ts';
import type { PointsSource } from '../db/schema.ts';
import { levelProgress, type LevelCurve, type LevelProgress } from './levels.ts';
import { TREND_HISTORY_DAYS, trendOf, utcDay, type Trend } from './trend.ts';

export const SOURCES: readonly PointsSource[] = ['qa_solution', 'post_approved', 'rating', 'challenge'];

export interface RankSummary {
  memberId: string;
  total: number;
  bySource: Record<PointsSource, number>;
  progress: LevelProgress;
  trend: Trend;
}

export async function rankOf(db: DbOrTrx, memberId: string, now: number, curve: LevelCurve): Promise<RankSummary> {
  const sources = await db.selectFrom('member_points').select(['source', 'total']).where('member_id', '=', memberId).execute();
  const bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<PointsSource, number>;
  for (const row of sources) if (row.source in bySource) bySource[row.source as PointsSource] = row.total;
  const total = sources.reduce((sum, row) => sum + row.total, 0);
  const today = utcDay(now);
  const daily = await db
    .selectFrom('member_points_daily')
    .select(['day', 'amount'])
    .where('member_id', '=', memberId)
    .where('day', '>', today - TREND_HISTORY_DAYS)
    .where('day', '<=', today)
    .execute();
  return { memberId, total, bySource, progress: levelProgress(total, curve), trend: trendOf(daily, today) };
}

/** Balances of many members (the levels job), from the same rollup. */
export async function totalsOf(db: DbOrTrx, memberIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(memberIds.map((id) => [id, 0]));
  // Chunks keep each IN (...) far below SQLite's bound-parameter limit.
  for (let i = 0; i < memberIds.length; i += 500) {
    const rows = await db
      .selectFrom('member_points')
      .select(['member_id', (eb) => eb.fn.sum<number>('total').as('total')])
      .where('member_id', 'in', memberIds.slice(i, i + 500))
      .groupBy('member_id')
      .execute();
    for (const row of rows) out.set(row.member_id, Number(row.total));
  }
  return out;
}
