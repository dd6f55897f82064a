// Rebuilds the points rollup from the ledger: at startup when REPORT_TIMEZONE changed since the
// rollup was built (month keys move), or when the ledger holds rows the rollup never saw (the ledger
// existed before the rollup did, or a row was written around creditPoints).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { startOfZonedMonth, zonedMonthKey } from '../zoned-time.ts';
import { ALL_SOURCES, ALL_TIME, REVERSED } from './points-rollup.ts';

type Q = Kysely<Database>;

export interface RollupSync {
  rebuilt: boolean;
  /** Why it was rebuilt (or 'current'). */
  reason: 'current' | 'zone' | 'behind';
  ledgerRows: number;
}

/** Call once at startup, after migrations, before anything credits points. Cheap when current. */
export async function syncPointsRollup(db: Q, timeZone: string, now: number): Promise<RollupSync> {
  const state = await db.selectFrom('points_rollup_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const ledger = await ledgerSize(db);
  if (state.time_zone !== timeZone) return { rebuilt: true, reason: 'zone', ledgerRows: await rebuildPointsRollup(db, timeZone, now) };
  if (state.ledger_rows !== ledger.rows || state.last_id !== ledger.lastId) {
    return { rebuilt: true, reason: 'behind', ledgerRows: await rebuildPointsRollup(db, timeZone, now) };
  }
  return { rebuilt: false, reason: 'current', ledgerRows: ledger.rows };
}

async function ledgerSize(db: Q): Promise<{ rows: number; lastId: number }> {
  const row = await db
    .selectFrom('points')
    .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.max<number | null>('id').as('last')])
    .executeTakeFirstOrThrow();
  return { rows: Number(row.rows), lastId: Number(row.last ?? 0) };
}

/** Recomputes the whole rollup in `timeZone`, in one transaction. Returns the ledger rows read. */
export async function rebuildPointsRollup(db: Q, timeZone: string, now: number): Promise<number> {
  // A rebuild writes about two rollup rows per ledger row into two b-trees: with SQLite's default
  // 2 MB page cache that thrashes, so it borrows a larger cache for the duration (per connection).
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
  await sql`pragma cache_size = -262144`.execute(db);
  try {
    return await rebuildInTransaction(db, timeZone, now);
  } finally {
    await sql`pragma cache_size = ${sql.raw(String(Math.trunc(before)))}`.execute(db);
  }
}

function rebuildInTransaction(db: Q, timeZone: string, now: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('points_rollup').execute();
    await sql`drop table if exists temp.rollup_months`.execute(trx);
    await sql`drop table if exists temp.rollup_pairs`.execute(trx);
    await sql`create temp table rollup_months (start integer primary key, key text not null)`.execute(trx);
    const range = await trx
      .selectFrom('points')
      .select((eb) => [eb.fn.min<number | null>('at').as('first'), eb.fn.max<number | null>('at').as('last')])
      .executeTakeFirstOrThrow();
    if (range.first !== null && range.last !== null) {
      // Every month the ledger touches, with its first instant in the zone (DST-safe).
      const months: { start: number; key: string }[] = [];
      for (let start = startOfZonedMonth(range.first, timeZone); start <= range.last; start = startOfZonedMonth(start, timeZone, 1)) {
        months.push({ start, key: zonedMonthKey(start, timeZone) });
      }
      for (let i = 0; i < months.length; i += 400) {
        const chunk = months.slice(i, i + 400);
        await sql`insert into rollup_months (start, key) values ${sql.join(chunk.map((m) => sql`(${m.start}, ${m.key})`))}`.execute(trx);
      }
    }
    // Reversals of an earlier row, found once (about 1% of a ledger), so the pass below reads the
    // ledger in table order with no lookups per row: per-row subqueries made a million-row rebuild
    // jump around the file and take minutes.
    await sql`create temp table rollup_pairs (reversal_id integer primary key, reversed_id integer not null unique, reversed_at integer not null)`.execute(trx);
    await sql`insert into rollup_pairs (reversal_id, reversed_id, reversed_at)
      select p.id, b.id, b.at from points p
      join points b on b.source = p.source and b.member_id = p.member_id and b.ref = substr(p.ref, 1, length(p.ref) - 9) and b.id < p.id
      where substr(p.ref, -9) = ${REVERSED}`.execute(trx);
    // One pass over the ledger: each row in its period (a reversal takes the period of the row it
    // reverses) with its time if it still stands (neither a reversal nor reversed), summed per
    // (month, source, member).
    await sql`insert into points_rollup (period, source, member_id, total, reached_at)
      select month, source, member_id, sum(amount), max(standing_at) from (
        select p.member_id, p.source, p.amount,
          case when r.reversal_id is null and x.reversed_id is null then p.at end as standing_at,
          (select m.key from rollup_months m where m.start <= coalesce(r.reversed_at, p.at) order by m.start desc limit 1) as month
        from points p not indexed
        left join rollup_pairs r on r.reversal_id = p.id
        left join rollup_pairs x on x.reversed_id = p.id)
      group by month, source, member_id`.execute(trx);
    // The other three groupings follow from that much smaller table: totals add up, tie-breaks take the latest.
    const derived = [
      sql`select period, ${ALL_SOURCES}, member_id, sum(total), max(reached_at) from points_rollup where period <> ${ALL_TIME} group by period, member_id`,
      sql`select ${ALL_TIME}, source, member_id, sum(total), max(reached_at) from points_rollup where period <> ${ALL_TIME} and source <> ${ALL_SOURCES} group by source, member_id`,
      sql`select ${ALL_TIME}, ${ALL_SOURCES}, member_id, sum(total), max(reached_at) from points_rollup where period = ${ALL_TIME} group by member_id`,
    ];
    for (const select of derived) await sql`insert into points_rollup (period, source, member_id, total, reached_at) ${select}`.execute(trx);
    await sql`drop table temp.rollup_months`.execute(trx);
    await sql`drop table temp.rollup_pairs`.execute(trx);
    const ledger = await ledgerSize(trx);
    await trx
      .updateTable('points_rollup_state')
      .set({ time_zone: timeZone, ledger_rows: ledger.rows, last_id: ledger.lastId, built_at: now })
      .where('id', '=', 1)
      .execute();
    return ledger.rows;
  });
}
