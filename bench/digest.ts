import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { generateDigestDb } from './digest-data.ts';
import { figure, type Figure } from './figures.ts';

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CHILD = fileURLToPath(new URL('./digest-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface ChildResult {
  mode: string;
  wallMs: number;
  maxRssMb: number;
}

/** Monday 30 November 2026, 09:25:01.234 UTC: mid-hour, so both edges of W cut through hourly rollups. */
const AS_OF = Date.UTC(2026, 10, 30, 9, 25, 1, 234);

/**
 * The weekly digest (createComputeDigest: day and hour rollups, edge hours, batched seeks) at N
 * members and E activity events (default 100k and 10M; BENCH_DIGEST_N / BENCH_DIGEST_EVENTS scale them), against
 * the same figures computed by reading every raw event into the in-memory sources. Each side runs
 * in its own process (bench/digest-child.ts) for its peak RSS. The two JSONs must be identical:
 * a mismatch throws. Goal: under 2 s.
 */
export async function benchDigest(n = Number(process.env.BENCH_DIGEST_N ?? 100_000), events = Number(process.env.BENCH_DIGEST_EVENTS ?? 10_000_000), runs = 3): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-digest-'));
  const file = path.join(dir, 'digest.sqlite');
  const child = async (mode: string, out: string): Promise<ChildResult> => {
    const env = { PATH: process.env.PATH, BENCH_DB: file, BENCH_AS_OF: String(AS_OF), BENCH_OUT: path.join(dir, out) };
    const { stdout } = await run(TSX, [CHILD, mode], { cwd: ROOT, env, timeout: 30 * 60_000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  };
  try {
    const t0 = performance.now();
    const data = await generateDigestDb(file, n, events, AS_OF);
    process.stderr.write(`  digest: generated ${data.members} members, ${data.stateRows} subscription states, ${data.events} events, ${data.hourlyRows} hourly rows in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    const idle = await child('idle', 'idle.json');
    // Not measured: the generator's writes are still being flushed, and the page cache settles.
    await child('rollups', 'warm-up.json');
    const fast: ChildResult[] = [];
    const slow: ChildResult[] = [];
    // Alternated, so a burst of load on the shared machine hits both sides alike.
    for (let i = 0; i < runs; i++) {
      fast.push(await child('rollups', `rollups-${i}.json`));
      if (i < 2) slow.push(await child('raw', `raw-${i}.json`));
    }
    const read = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    const expected = read('raw-0.json');
    for (let i = 0; i < runs; i++) {
      const got = read(`rollups-${i}.json`);
      if (!isDeepStrictEqual(got, expected)) throw new Error(`digest: MISMATCH between createComputeDigest and the raw-event scan (run ${i}): ${mismatch(got, expected, dir)}`);
    }
    process.stderr.write(`  digest: rollups ${fast.map((r) => r.wallMs.toFixed(0)).join(', ')} ms; raw scan ${slow.map((r) => r.wallMs.toFixed(0)).join(', ')} ms\n`);
    const m = (expected as { metrics: Record<string, unknown> }).metrics;
    process.stderr.write(`  digest: identical JSON; paying ${String(m.paying_members)}, weekly active ${String(m.weekly_active_members)}, messages ${String(m.messages)}, communicators ${String(m.communicators)}, at risk ${(m.at_risk_members as unknown[]).length}\n`);
    const label = `${n} members, ${data.events} events`;
    return [
      figure(`digest.wall_time (${label}; identical JSON; goal < 2 s absolute)`, fast.map((r) => r.wallMs / 1000), 's', 'raw events into in-memory sources', slow.map((r) => r.wallMs / 1000)),
      figure('digest.peak_rss', fast.map((r) => r.maxRssMb), 'MB', 'raw events into in-memory sources', slow.map((r) => r.maxRssMb)),
      figure('digest.peak_rss_over_idle', fast.map((r) => r.maxRssMb - idle.maxRssMb), 'MB', 'raw scan over idle', slow.map((r) => r.maxRssMb - idle.maxRssMb)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Which figures differ; both JSONs are kept in a directory of their own (the database is deleted). */
function mismatch(got: unknown, expected: unknown, dir: string): string {
  const keep = mkdtempSync(path.join(tmpdir(), 'guildhall-digest-mismatch-'));
  copyFileSync(path.join(dir, 'raw-0.json'), path.join(keep, 'raw.json'));
  writeFileSync(path.join(keep, 'rollups.json'), JSON.stringify(got));
  const differ: string[] = [];
  for (const side of ['metrics', 'previous'] as const) {
    const [a, b] = [(got as Record<string, Record<string, unknown>>)[side] ?? {}, (expected as Record<string, Record<string, unknown>>)[side] ?? {}];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) if (!isDeepStrictEqual(a[key], b[key])) differ.push(`${side}.${key}`);
  }
  return `${differ.join(', ') || 'as_of'} (JSONs kept in ${keep})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchDigest(process.argv[2] ? Number(process.argv[2]) : undefined, process.argv[3] ? Number(process.argv[3]) : undefined));
}
