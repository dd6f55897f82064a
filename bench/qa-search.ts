import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { queryTokens, searchSolved } from '../src/qa/search.ts';
import { type Figure } from './figures.ts';
import { prng } from './prng.ts';

/**
 * `/qa search` (the real `searchSolved`: bm25 over FTS5, AND then OR fill, limit 5) over N stored solved
 * questions (default 100k; BENCH_QA_N scales it), against the naive alternative in the same run on the
 * same rows: every word as `LIKE '%word%'` over title/body/topics/excerpt, newest first, limit 5.
 * Both go through Kysely on the same connection. Goal: p99 < 20 ms.
 */
export async function benchQaSearch(n = Number(process.env.BENCH_QA_N ?? 100_000), queries = 300): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-qa-'));
  const db = openDatabase(path.join(dir, 'qa.sqlite'));
  try {
    await migrate(db);
    await seed(db, n);
    const rnd = prng(7);
    const qs = Array.from({ length: queries }, () => memberQuery(rnd));
    for (const q of qs.slice(0, 20)) {
      // Warm the page cache for both.
      await searchSolved(db, q);
      await likeScan(db, q);
    }
    const fts: number[] = [];
    const like: number[] = [];
    for (const q of qs) {
      fts.push(await timed(() => searchSolved(db, q)));
      like.push(await timed(() => likeScan(db, q)));
    }
    const base = `LIKE '%word%' scan, newest first, same ${n} rows`;
    return [pct('qa_search.p50', fts, 50, base, like), pct('qa_search.p99', fts, 99, base, like)];
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

function likeScan(db: Db, query: string) {
  const words = queryTokens(query);
  if (words.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('questions')
    .select(['id', 'title', 'thread_id', 'channel_id', 'solution_message_id'])
    .where('state', '=', 'solved')
    .where((eb) => eb.and(words.map((w) => eb.or(['title', 'body', 'topics', 'solution_excerpt'].map((c) => eb(sql.ref(c), 'like', `%${w}%`))))))
    .orderBy('solved_at', 'desc')
    .limit(5)
    .execute();
}

function pct(name: string, values: number[], p: number, baselineName: string, baseline: number[]): Figure {
  const at = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { figure: name, value: r(at(values)), unit: 'ms', baseline: { name: baselineName, value: r(at(baseline)) }, ratio: r(at(values) / at(baseline)), samples: values.length };
}

// ---- A synthetic but realistic corpus: topics with their own jargon, common English, identifiers, errors.
const TOPICS: Record<string, string> = {
  typescript: 'type generic interface keyof mapped conditional infer union narrowing tsconfig declaration overload enum decorator strict any unknown never tuple',
  javascript: 'promise async await closure prototype array object map reduce fetch event loop callback module import export json regex date',
  rust: 'borrow lifetime trait struct enum match cargo crate vector iterator ownership mutable reference macro async tokio serde clone',
  python: 'list dict comprehension decorator generator pip virtualenv asyncio pandas numpy django flask typing dataclass import exception',
  databases: 'sqlite postgres index query join transaction migration schema kysely orm deadlock vacuum wal fts5 bm25 constraint foreign',
  devops: 'docker compose kubernetes pod container image healthcheck nginx deploy ci pipeline secret volume network helm terraform',
  css: 'flexbox grid selector specificity margin padding animation transition media query responsive layout center overflow zindex',
  react: 'component hook useeffect usestate props render context memo suspense strictmode router redux hydration ref key',
  payments: 'stripe webhook signature checkout subscription invoice refund dispute customer price portal idempotency payout tax coupon',
  security: 'token oauth jwt csrf xss cors hash bcrypt session cookie tls certificate secret rotation permission audit',
  testing: 'vitest jest mock fixture snapshot coverage flaky assertion spy e2e playwright timeout setup teardown property',
  go: 'goroutine channel interface struct slice map context mutex defer panic module gofmt generics error select',
};
const COMMON = 'the a to is it in and of my i this that for with when on but not how why does do after before from can get works fails error problem issue help question trying code function value file version update new old instead always never sometimes still again build run local production server client test data user request response config setup'.split(' ');
const ERRORS = ['TypeError', 'undefined is not a function', 'cannot read properties', 'segmentation fault', 'timeout exceeded', 'permission denied', 'connection refused', 'out of memory', 'unexpected token', 'module not found'];
const NAMES = Object.keys(TOPICS);
const words = (t: string) => TOPICS[t]!.split(' ');

type Rnd = () => number;
const pick = <T>(r: Rnd, a: readonly T[]): T => a[Math.floor(r() ** 1.6 * a.length)]!; // skewed: early words are more frequent
const ident = (r: Rnd, t: string) => `${pick(r, words(t))}${pick(r, words(t)).replace(/^./, (c) => c.toUpperCase())}${Math.floor(r() * 50)}`;
const sentence = (r: Rnd, t: string, len: number) =>
  Array.from({ length: len }, () => (r() < 0.3 ? pick(r, words(t)) : r() < 0.05 ? ident(r, t) : pick(r, COMMON))).join(' ');

function question(r: Rnd) {
  const topics = [pick(r, NAMES), ...(r() < 0.3 ? [pick(r, NAMES)] : [])].filter((t, i, a) => a.indexOf(t) === i);
  const t = topics[0]!;
  const titles = [
    () => `How do I ${pick(r, COMMON)} ${pick(r, words(t))} with ${pick(r, words(t))}?`,
    () => `${pick(r, words(t))} ${pick(r, words(t))} ${pick(r, ERRORS)} after ${pick(r, COMMON)} ${pick(r, words(t))}`,
    () => `Why does ${ident(r, t)} ${pick(r, ['fail', 'hang', 'return undefined', 'leak memory', 'run twice'])} in ${t}?`,
  ];
  const body = `${sentence(r, t, 30 + Math.floor(r() * 90))}. ${r() < 0.5 ? pick(r, ERRORS) : ''} ${sentence(r, t, 10 + Math.floor(r() * 30))}`;
  return { topics, title: titles[Math.floor(r() * titles.length)]!(), body, excerpt: sentence(r, t, 15 + Math.floor(r() * 35)).slice(0, 300) };
}

/** What members type into /qa search: one to four words, jargon-heavy, sometimes with an error text or a common word. */
function memberQuery(r: Rnd): string {
  const t = pick(r, NAMES);
  const n = 1 + Math.floor(r() * 4);
  return Array.from({ length: n }, () => (r() < 0.65 ? pick(r, words(t)) : r() < 0.5 ? pick(r, COMMON) : pick(r, ERRORS))).join(' ');
}

/** N solved questions with their search rows, written in batches in one transaction (as markSolved would leave them). */
async function seed(db: Db, n: number): Promise<void> {
  const r = prng(42);
  const T0 = Date.UTC(2025, 0, 1);
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < n; start += 500) {
      const batch = Array.from({ length: Math.min(500, n - start) }, (_, k) => ({ i: start + k, ...question(r) }));
      const rows = await trx.insertInto('questions').values(batch.map((b) => ({
        thread_id: String(1_300_000_000_000_000_000n + BigInt(b.i)), channel_id: '1200000000000000001', asker_id: String(1_400_000_000_000_000_000n + BigInt(b.i % 5000)),
        title: b.title, body: b.body, code: null, topics: JSON.stringify(b.topics), state: 'solved' as const, reminder_due_at: T0, created_at: T0 + b.i * 60_000,
        last_activity_at: T0 + b.i * 60_000, first_answer_at: null, first_answer_by: null, first_expert_answer_at: null, first_expert_answer_by: null,
        solution_message_id: String(1_500_000_000_000_000_000n + BigInt(b.i)), solution_author_id: '1400000000000000001', solution_excerpt: b.excerpt,
        solved_at: T0 + b.i * 60_000 + 3_600_000, solved_by: '1400000000000000001', reminded_at: null, nudged_at: null, stale_at: null, archive_due_at: null, archived_at: null,
      }))).returning('id').execute();
      await trx.insertInto('qa_search').values(batch.map((b, k) => ({ rowid: rows[k]!.id, title: b.title, body: b.body, topics: b.topics.join(' '), solution_excerpt: b.excerpt }))).execute();
    }
  });
  await sql`insert into qa_search(qa_search) values ('optimize')`.execute(db); // as a long-lived index settles into after merges
}
