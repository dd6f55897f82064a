// The points ledger's rollup (table points_rollup; rules in src/db/schema-leaderboards.ts): one row per
// (month or 'all', source or '*', member), so a leaderboard reads N index entries instead of grouping
// a million ledger rows.
//
// Why month keys in the community's zone, with the zone stored in the database (points_rollup_state):
// - exact: the key comes from the real zone rules (zonedMonthKey), so +05:30, +05:45 and DST months
//   are right; UTC hour buckets would split a +05:30 month, 15-minute buckets would hold about as
//   many rows as the ledger and make every board a GROUP BY again;
// - fast: one row per member and month, ordered by an index;
// - no hidden global and no new argument for creditPoints' callers: the zone lives beside the data it
//   shaped, read in the same transaction; syncPointsRollup (startup) is the one place that changes it.
import { sql, type Kysely } from 'kysely';
import type { Database, PointsSource } from '../db/schema.ts';
import { startOfZonedMonth, zonedMonthKey } from '../zoned-time.ts';

type Q = Kysely<Database>;

export const ALL_SOURCES = '*' as const;
export const ALL_TIME = 'all';
export const REVERSED = ':reversed';

export interface LedgerRow {
  id: number;
  memberId: string;
  amount: number;
  source: PointsSource;
  ref: string;
  at: number;
}

/** The zone month keys are computed in (set by syncPointsRollup). */
export async function rollupZone(db: Q): Promise<string> {
  const state = await db.selectFrom('points_rollup_state').select('time_zone').where('id', '=', 1).executeTakeFirstOrThrow();
  return state.time_zone;
}

/** Adds one just-inserted ledger row to the rollup. Call it in the transaction that inserted the row. */
export async function applyToRollup(trx: Q, row: LedgerRow): Promise<void> {
  const zone = await rollupZone(trx);
  // A reversal of an earlier row counts where that row was earned (see the rules in the schema).
  const original = row.ref.endsWith(REVERSED)
    ? await trx
        .selectFrom('points')
        .select('at')
        .where('source', '=', row.source)
        .where('member_id', '=', row.memberId)
        .where('ref', '=', row.ref.slice(0, -REVERSED.length))
        .where('id', '<', row.id)
        .executeTakeFirst()
    : undefined;
  const bucketAt = original?.at ?? row.at;
  const periods = [zonedMonthKey(bucketAt, zone), ALL_TIME];
  for (const period of periods) {
    for (const source of [row.source, ALL_SOURCES] as const) {
      await trx
        .insertInto('points_rollup')
        .values({ period, source, member_id: row.memberId, total: row.amount, reached_at: original ? null : row.at })
        .onConflict((oc) =>
          oc.columns(['period', 'source', 'member_id']).doUpdateSet({
            total: sql<number>`total + excluded.total`,
            // A standing row moves the tie-break forward; a reversal is handled just below.
            reached_at: original ? sql<number | null>`reached_at` : sql<number>`max(coalesce(reached_at, excluded.reached_at), excluded.reached_at)`,
          }),
        )
        .execute();
    }
  }
  if (original) await recomputeReachedAt(trx, row.memberId, row.source, bucketAt, zone);
  await trx
    .updateTable('points_rollup_state')
    .set((eb) => ({ ledger_rows: eb('ledger_rows', '+', 1), last_id: sql<number>`max(last_id, ${row.id})` }))
    .where('id', '=', 1)
    .execute();
}

/**
 * The reversed row no longer stands, so the member's tie-break in its periods falls back to their
 * latest row still standing (null if none). Reads only this member's rows (index points_member).
 */
async function recomputeReachedAt(trx: Q, memberId: string, source: PointsSource, bucketAt: number, zone: string): Promise<void> {
  const month = { key: zonedMonthKey(bucketAt, zone), from: startOfZonedMonth(bucketAt, zone), to: startOfZonedMonth(bucketAt, zone, 1) };
  const targets: { period: string; source: PointsSource | typeof ALL_SOURCES; range: typeof month | undefined }[] = [
    { period: month.key, source, range: month },
    { period: month.key, source: ALL_SOURCES, range: month },
    { period: ALL_TIME, source, range: undefined },
    { period: ALL_TIME, source: ALL_SOURCES, range: undefined },
  ];
  for (const t of targets) {
    const latest = await sql<{ at: number | null }>`
      select max(p.at) as at from points p
      where p.member_id = ${memberId}
        ${t.source === ALL_SOURCES ? sql`` : sql`and p.source = ${t.source}`}
        ${t.range ? sql`and p.at >= ${t.range.from} and p.at < ${t.range.to}` : sql``}
        and ${standing('p')}`.execute(trx);
    await trx
      .updateTable('points_rollup')
      .set({ reached_at: latest.rows[0]?.at ?? null })
      .where('period', '=', t.period)
      .where('source', '=', t.source)
      .where('member_id', '=', memberId)
      .execute();
  }
}

/** SQL: row `p` still stands: it is not a reversal of an earlier row, and no later row reverses it. */
export function standing(p: string) {
  const a = sql.raw(p);
  return sql`not exists (select 1 from points b where substr(${a}.ref, -9) = ${REVERSED} and b.source = ${a}.source and b.member_id = ${a}.member_id
      and b.ref = substr(${a}.ref, 1, length(${a}.ref) - 9) and b.id < ${a}.id)
    and not exists (select 1 from points r where r.source = ${a}.source and r.member_id = ${a}.member_id and r.ref = ${a}.ref || ${REVERSED} and r.id > ${a}.id)`;
}
