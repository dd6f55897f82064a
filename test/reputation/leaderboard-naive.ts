// The rollup recomputed the slow, obvious way in plain TypeScript from the ledger rows, with the
// month read straight from Intl (not from src/zoned-time.ts), to check the SQL and the incremental path.
import type { Db } from '../../src/db/database.ts';

export interface RollupRow {
  period: string;
  source: string;
  member_id: string;
  total: number;
  reached_at: number | null;
}

const REVERSED = ':reversed';

export function monthOf(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

export async function naiveRollup(db: Db, timeZone: string): Promise<RollupRow[]> {
  const rows = await db.selectFrom('points').selectAll().orderBy('id').execute();
  const byKey = new Map(rows.map((r) => [`${r.source}|${r.member_id}|${r.ref}`, r]));
  const out = new Map<string, RollupRow>();
  for (const row of rows) {
    const baseRef = row.ref.endsWith(REVERSED) ? row.ref.slice(0, -REVERSED.length) : undefined;
    const base = baseRef === undefined ? undefined : byKey.get(`${row.source}|${row.member_id}|${baseRef}`);
    const reverses = base !== undefined && base.id < row.id ? base : undefined;
    const reversal = byKey.get(`${row.source}|${row.member_id}|${row.ref}${REVERSED}`);
    const stands = reverses === undefined && !(reversal !== undefined && reversal.id > row.id);
    const bucketAt = reverses?.at ?? row.at;
    for (const period of [monthOf(bucketAt, timeZone), 'all']) {
      for (const source of [row.source, '*']) {
        const key = `${period}|${source}|${row.member_id}`;
        const cell = out.get(key) ?? { period, source, member_id: row.member_id, total: 0, reached_at: null };
        cell.total += row.amount;
        if (stands) cell.reached_at = Math.max(cell.reached_at ?? row.at, row.at);
        out.set(key, cell);
      }
    }
  }
  return sortRows([...out.values()]);
}

export async function storedRollup(db: Db): Promise<RollupRow[]> {
  return sortRows(await db.selectFrom('points_rollup').selectAll().execute());
}

function sortRows(rows: RollupRow[]): RollupRow[] {
  const key = (r: RollupRow) => `${r.period}|${r.source}|${r.member_id}`;
  return rows.map((r) => ({ ...r })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A board from the naive rollup: more points first, then reached earlier, then member id. */
export function naiveBoard(rows: RollupRow[], period: string, source: string): { memberId: string; points: number }[] {
  return rows
    .filter((r) => r.period === period && r.source === source && r.total > 0)
    .sort((a, b) => b.total - a.total || (a.reached_at ?? 0) - (b.reached_at ?? 0) || (a.member_id < b.member_id ? -1 : 1))
    .map((r) => ({ memberId: r.member_id, points: r.total }));
}
