import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { contentValue, DAY_MS, priorMean } from '../src/reputation/content-value.ts';
import { rankOf } from '../src/reputation/rank.ts';
import { topContent, type TopPeriod } from '../src/reputation/top-content.ts';
import { TREND_HISTORY_DAYS, trendOf, utcDay } from '../src/reputation/trend.ts';
import type { Figure } from './figures.ts';
import { prng } from './prng.ts';

/**
 * `/top` and `/rank` (their whole database side: the real topContent + title lookup, the real
 * rankOf) over 100k posts, 1M ratings and 1M ledger rows (BENCH_CONTENT_SCALE scales all three),
 * against naive full scans in the same run on the same rows: /top scoring every published post
 * from the raw ratings and readers; /rank summing the ledger without an index (and, as a second
 * baseline, with the ledger's member index). Goal: p99 < 50 ms.
 */
export async function benchContent(scale = Number(process.env.BENCH_CONTENT_SCALE ?? 1), queries = 300): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-content-'));
  const db = openDatabase(path.join(dir, 'content.sqlite'));
  try {
    await migrate(db);
    const sizes = { posts: Math.round(100_000 * scale), ratings: Math.round(1_000_000 * scale), ledger: Math.round(1_000_000 * scale), members: Math.round(20_000 * scale) };
    await seed(db, sizes);
    progress(`seeded ${sizes.posts} posts, ${sizes.ratings} ratings, ${sizes.ledger} ledger rows`);
    const settings = { m: 5, halfLifeDays: 30 };
    const curve = { base: 50, exponent: 1.5, max: 100 };
    const rnd = prng(3);
    const periods: TopPeriod[] = ['week', 'month', 'all'];
    const kinds = [null, null, 'article', 'tutorial', 'code', 'career', 'other'];
    const tops = Array.from({ length: queries }, () => ({ period: periods[Math.floor(rnd() * 3)]!, kind: kinds[Math.floor(rnd() * kinds.length)]! }));
    // Members asked about: skewed like the ledger, so the heaviest histories are well represented.
    const ranks = Array.from({ length: queries }, () => member(Math.floor(rnd() * Math.floor(rnd() * sizes.members + 1))));
    const visible = (tier: string | null) => tier === null;
    const top = (q: (typeof tops)[number] & { settings?: typeof settings }) => topWithTitles(db, { settings, ...q, now: NOW, limit: 10, visible });

    for (const q of tops.slice(0, 10)) await top(q); // warm the page cache
    for (const m of ranks.slice(0, 10)) await rankOf(db, m, NOW, curve);
    const topMs = await each(tops, top);
    const rankMs = await each(ranks, (m) => rankOf(db, m, NOW, curve));
    progress('measured /top and /rank; now the baselines');
    const naiveTopMs = await each(tops.slice(0, 15), (q) => naiveTop(db, q.period, q.kind, settings));
    const scanRankMs = await each(ranks.slice(0, 30), (m) => naiveRank(db, m, true));
    const indexedRankMs = await each(ranks, (m) => naiveRank(db, m, false));
    // The rare slow /top: the first after a setting change (or C drifting 5%) recomputes every key.
    const rekeyMs = await each([6, 7, 8], (m) => top({ ...tops[0]!, settings: { ...settings, m } }));
    const label = `${sizes.posts} posts, ${sizes.ratings} ratings, ${sizes.ledger} ledger rows`;
    return [
      pct('content.top.p50', topMs, 50, `score every post from raw ratings, ${label}`, naiveTopMs),
      pct('content.top.p99', topMs, 99, `score every post from raw ratings, ${label}`, naiveTopMs),
      pct('content.rank.p50', rankMs, 50, `full ledger scan, ${label}`, scanRankMs),
      pct('content.rank.p99', rankMs, 99, `full ledger scan, ${label}`, scanRankMs),
      pct('content.rank.p99_vs_index', rankMs, 99, 'ledger aggregate via points_member index', indexedRankMs),
      pct('content.top.rekey', rekeyMs, 50, `score every post from raw ratings, ${label}`, naiveTopMs),
    ];
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const NOW = Date.UTC(2026, 10, 25, 12);
const started = performance.now();
const progress = (what: string) => process.stderr.write(`content: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const BASE = 1_400_000_000_000_000_000n;
const member = (n: number) => String(BASE + BigInt(n));

async function topWithTitles(db: Db, q: Parameters<typeof topContent>[1]) {
  const entries = await topContent(db, q);
  if (entries.length) await db.selectFrom('posts').select(['id', 'title', 'published_channel_id', 'published_message_id']).where('id', 'in', entries.map((e) => e.postId)).execute();
  return entries;
}

/** Without rollups: every published post's ratings and readers counted and scored on each call. */
async function naiveTop(db: Db, period: TopPeriod, kind: string | null, settings: { m: number; halfLifeDays: number }) {
  const since = period === 'all' ? 0 : NOW - (period === 'week' ? 7 : 30) * DAY_MS;
  const rows = await sql<{ id: number; at: number; kind: string; tier: string | null; n: number; s: number | null; readers: number }>`
    select p.id, p.published_at as at, p.kind, p.audience_tier as tier, count(r.stars) as n, sum(r.stars) as s,
           (select count(*) from post_readers pr where pr.post_id = p.id) as readers
    from posts p left join ratings r on r.post_id = p.id where p.state = 'published' group by p.id`.execute(db);
  const C = priorMean({ ratingCount: rows.rows.reduce((a, r) => a + r.n, 0), ratingSum: rows.rows.reduce((a, r) => a + (r.s ?? 0), 0) });
  return rows.rows
    .filter((r) => r.at >= since && (!kind || r.kind === kind) && r.tier === null)
    .map((r) => ({ id: r.id, value: contentValue({ ratingCount: r.n, ratingSum: r.s ?? 0, readers: r.readers, publishedAt: r.at }, C, settings, NOW) }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 10);
}

/** Without rollups: the member's balance by source and their last 60 days, from the ledger itself. */
async function naiveRank(db: Db, memberId: string, fullScan: boolean) {
  const points = fullScan ? sql`points not indexed` : sql`points`;
  const bySource = await sql<{ source: string; total: number }>`select source, sum(amount) as total from ${points} where member_id = ${memberId} group by source`.execute(db);
  const from = (utcDay(NOW) - TREND_HISTORY_DAYS + 1) * DAY_MS;
  const daily = await sql<{ day: number; amount: number }>`select at / 86400000 as day, sum(amount) as amount from ${points} where member_id = ${memberId} and at >= ${from} group by day`.execute(db);
  return { bySource: bySource.rows, trend: trendOf(daily.rows, utcDay(NOW)) };
}

/** Rows generated inside SQLite (recursive CTEs), so seeding 2M rows takes seconds; the triggers fill the rollups. */
async function seed(db: Db, n: { posts: number; ratings: number; ledger: number; members: number }): Promise<void> {
  const span = 730 * DAY_MS;
  // Inlined literals: better-sqlite3 binds JS numbers as REAL, and REAL arithmetic on 19-digit ids loses digits.
  const lit = (v: number | bigint) => sql.lit(v);
  await sql`with recursive i(x) as (select 1 union all select x + 1 from i where x < ${lit(n.posts)})
    insert into posts (author_id, author_name, kind, title, audience_tier, state, created_at, updated_at, published_at, published_channel_id, published_message_id)
    select ${lit(BASE)} + x % 5000, 'author', case x % 5 when 0 then 'article' when 1 then 'tutorial' when 2 then 'code' when 3 then 'career' else 'other' end,
      'Post ' || x, case when x % 20 = 7 then 'Pro' end, case when x % 20 = 3 then 'unpublished' else 'published' end,
      ${lit(NOW)} - abs(random()) % ${lit(span)}, ${lit(NOW)}, ${lit(NOW)} - abs(random()) % ${lit(span)}, '1300000000000000406', 1500000000000000000 + x
    from i`.execute(db);
  // Skewed: low post ids and some members get far more ratings. Duplicates are dropped until the count is reached.
  while (Number((await sql<{ c: number }>`select count(*) as c from ratings`.execute(db)).rows[0]!.c) < n.ratings) {
    const missing = n.ratings - Number((await sql<{ c: number }>`select count(*) as c from ratings`.execute(db)).rows[0]!.c);
    await sql`with recursive i(x) as (select 1 union all select x + 1 from i where x < ${lit(missing)})
      insert or ignore into ratings (post_id, member_id, stars, revision, points_ref, created_at, updated_at)
      select 1 + abs(random()) % (1 + abs(random()) % ${lit(n.posts)}), ${lit(BASE)} + abs(random()) % ${lit(n.members)}, 1 + abs(random()) % 5, 0, null, ${lit(NOW)}, ${lit(NOW)} from i`.execute(db);
  }
  await sql`insert or ignore into post_readers (post_id, member_id, via, at) select post_id, member_id, 'rating', created_at from ratings`.execute(db);
  await sql`with recursive i(x) as (select 1 union all select x + 1 from i where x < ${lit(Math.round(n.ratings / 2))})
    insert or ignore into post_readers (post_id, member_id, via, at)
    select 1 + abs(random()) % (1 + abs(random()) % ${lit(n.posts)}), ${lit(BASE)} + abs(random()) % ${lit(n.members)}, 'reaction', ${lit(NOW)} from i`.execute(db);
  await sql`with recursive i(x) as (select 1 union all select x + 1 from i where x < ${lit(n.ledger)})
    insert into points (member_id, amount, source, ref, at)
    select ${lit(BASE)} + abs(random()) % (1 + abs(random()) % ${lit(n.members)}),
      case when x % 25 = 0 then -3 else 1 + abs(random()) % 15 end,
      case x % 4 when 0 then 'qa_solution' when 1 then 'post_approved' when 2 then 'rating' else 'challenge' end,
      'bench:' || x, ${lit(NOW)} - abs(random()) % ${lit(span)} from i`.execute(db);
  await sql`analyze`.execute(db);
}

async function each<T>(inputs: readonly T[], run: (input: T) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    await run(input);
    out.push(performance.now() - t0);
  }
  return out;
}

function pct(name: string, values: number[], p: number, baselineName: string, baseline: number[]): Figure {
  const at = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { figure: name, value: r(at(values)), unit: 'ms', baseline: { name: baselineName, value: r(at(baseline)) }, ratio: r(at(values) / at(baseline)), samples: values.length };
}


// `npx tsx bench/content.ts` runs this suite alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchContent());
}
