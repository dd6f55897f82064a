import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { PointsSource } from '../src/db/schema.ts';
import { creditPoints } from '../src/qa/points.ts';
import { rebuildPointsRollup } from '../src/qa/points-rebuild.ts';
import { REVERSED } from '../src/qa/points-rollup.ts';
import { leaderboard, rankOf, type LeaderboardQuery } from '../src/reputation/leaderboard.ts';
import { startOfZonedMonth } from '../src/zoned-time.ts';
import type { Figure } from './figures.ts';
import { prng } from './prng.ts';

/**
 * Leaderboards (issue 5 item 7): 100k members and 1M ledger rows (BENCH_LB_MEMBERS / BENCH_LB_ROWS scale
 * them) over a year, in Europe/Berlin, with 1% of credits reversed. The real `leaderboard()` (top 10 from
 * the rollup) and `rankOf()` against the naive alternative in the same run on the same rows: the plain
 * GROUP BY over the raw ledger one would write without a rollup (it ignores the reversal rules, so it is
 * cheaper than the exact `leaderboardFromLedger` fallback: a baseline that flatters nothing). Also what
 * the rollup costs: creditPoints with it against a bare ledger insert, and a full rebuild (startup after
 * a zone change). Goal: board p99 < 50 ms.
 */
const ZONE = 'Europe/Berlin';
const SOURCES: PointsSource[] = ['qa_solution', 'post_approved', 'rating', 'challenge'];
const YEAR = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 86_400_000;

export async function benchLeaderboard(members = Number(process.env.BENCH_LB_MEMBERS ?? 100_000), rows = Number(process.env.BENCH_LB_ROWS ?? 1_000_000)): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-lb-'));
  const db = openDatabase(path.join(dir, 'lb.sqlite'));
  try {
    await migrate(db);
    const log = (what: string) => process.stderr.write(`leaderboard bench: ${what}\n`);
    await seed(db, members, rows);
    log(`seeded ${rows} ledger rows for ${members} members`);
    const t0 = performance.now();
    await rebuildPointsRollup(db, ZONE, Date.now());
    const rebuildMs = performance.now() - t0;
    log(`rollup rebuilt in ${Math.round(rebuildMs)} ms`);
    const rnd = prng(3);
    const query = (period: 'month' | 'all', source?: PointsSource): LeaderboardQuery => ({ period, source, timeZone: ZONE, now: YEAR + Math.floor(rnd() * YEAR_MS), limit: 10 });
    const member = () => memberId(Math.floor(rnd() ** 2 * members));

    const figures: Figure[] = [];
    for (const [name, make] of [
      ['leaderboard.month', () => query('month')],
      ['leaderboard.month.challenge', () => query('month', 'challenge')],
      ['leaderboard.all', () => query('all')],
    ] as const) {
      const fast = await sample(200, () => leaderboard(db, make()));
      const naive = await sample(20, () => groupBy(db, make()));
      figures.push(pct(`${name}.p99`, fast, 99, `GROUP BY over the raw ledger (${rows} rows)`, naive));
      log(`${name} done`);
    }
    const ranks = await sample(200, () => rankOf(db, member(), query('month')));
    const naiveRanks = await sample(20, async () => (await groupBy(db, { ...query('month'), limit: -1 })).find((r) => r.member_id === member()));
    figures.push(pct('leaderboard.rank.month.p99', ranks, 99, 'whole board from the raw ledger, then find', naiveRanks));

    // The write path: a credit with its rollup (own transaction) against the bare ledger insert.
    let n = 0;
    const credits = await sample(300, () => creditPoints(db, { memberId: member(), amount: 5, source: 'rating', ref: `bench:${n++}`, at: YEAR + Math.floor(rnd() * YEAR_MS) }));
    const inserts = await sample(300, () => db.insertInto('points').values({ member_id: member(), amount: 5, source: 'rating', ref: `bench:${n++}`, at: YEAR }).execute());
    figures.push(pct('points.credit_with_rollup.p50', credits, 50, 'bare ledger insert', inserts));
    figures.push(pct('points.credit_with_rollup.p99', credits, 99, 'bare ledger insert', inserts));
    figures.push({ figure: 'points.rollup_rebuild', value: round(rebuildMs), unit: 'ms', baseline: { name: 'one all-time board from the raw ledger', value: round(median(naive(figures))) }, ratio: round(rebuildMs / median(naive(figures))), samples: 1 });
    return figures;
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The board without a rollup: sum each member's rows in the period, best first. */
function groupBy(db: Db, q: LeaderboardQuery) {
  const from = q.period === 'all' ? Number.MIN_SAFE_INTEGER : startOfZonedMonth(q.now, q.timeZone);
  const to = q.period === 'all' ? Number.MAX_SAFE_INTEGER : startOfZonedMonth(q.now, q.timeZone, 1);
  let query = db
    .selectFrom('points')
    .select((eb) => ['member_id', eb.fn.sum<number>('amount').as('total'), eb.fn.max<number>('at').as('reached_at')])
    .where('at', '>=', from)
    .where('at', '<', to);
  if (q.source) query = query.where('source', '=', q.source);
  return query.groupBy('member_id').having((eb) => eb.fn.sum('amount'), '>', 0).orderBy('total', 'desc').orderBy('reached_at').orderBy('member_id').limit(q.limit).execute();
}

const naive = (figures: Figure[]) => [figures.find((f) => f.figure === 'leaderboard.all.p99')!.baseline.value];

async function sample(count: number, run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(3, count); i++) await run(); // warm the page cache
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

function pct(name: string, values: number[], p: number, baselineName: string, baseline: number[]): Figure {
  const at = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]!;
  return { figure: name, value: round(at(values)), unit: 'ms', baseline: { name: baselineName, value: round(at(baseline)) }, ratio: round(at(values) / at(baseline)), samples: values.length };
}

const memberId = (i: number) => String(1_400_000_000_000_000_000n + BigInt(i));


/** Exactly `rows` ledger rows over a year for `members` members (a few very active, most occasional); 1% of credits reversed a day later. */
async function seed(db: Db, members: number, rows: number): Promise<void> {
  const r = prng(11);
  let written = 0;
  let i = 0;
  await db.transaction().execute(async (trx) => {
    while (written < rows) {
      const batch: { member_id: string; amount: number; source: PointsSource; ref: string; at: number }[] = [];
      while (batch.length < 500 && written + batch.length < rows) {
        const member = memberId(i < members ? i : Math.floor(r() ** 2 * members));
        const source = SOURCES[Math.floor(r() * SOURCES.length)]!;
        const at = YEAR + Math.floor(r() * YEAR_MS);
        const amount = 1 + Math.floor(r() * 20);
        batch.push({ member_id: member, amount, source, ref: `seed:${i}`, at });
        if (r() < 0.01 && batch.length < 500 && written + batch.length < rows) batch.push({ member_id: member, amount: -amount, source, ref: `seed:${i}${REVERSED}`, at: at + 86_400_000 });
        i++;
      }
      await trx.insertInto('points').values(batch).execute();
      written += batch.length;
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchLeaderboard());
}
