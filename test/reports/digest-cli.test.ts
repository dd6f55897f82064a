import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { DigestArgsError, parseDigestArgs } from '../../src/reports/digest-cli-args.ts';
import { runDigestCli, type DigestCliPorts } from '../../src/reports/digest-cli-run.ts';
import { catchUpDigest } from '../../src/reports/digest-job.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { testEnv } from '../rigs/env.ts';
import { captureLogs } from '../rigs/logs.ts';
import { AS_OF, iso, livelyDigest, userId } from './fixtures.ts';

const NOW = AS_OF + 3 * 86_400_000;
const args = (...argv: string[]) => parseDigestArgs(argv, NOW);

describe('npm run digest: arguments', () => {
  it('reads --as-of as an instant with its offset, and the flags', () => {
    expect(args('--as-of', '2026-11-23T09:00:00+01:00', '--json', '--post', '--chart', 'out/week.png')).toEqual({ asOf: AS_OF, json: true, post: true, chart: 'out/week.png', help: false });
    expect(args('--as-of=2026-11-23T08:00:00.000Z').asOf).toBe(AS_OF);
    expect(args()).toEqual({ asOf: undefined, json: false, post: false, chart: undefined, help: false });
    expect(args('--help').help).toBe(true);
  });

  it.each([
    [['--as-of', '2026-11-23'], /not an ISO 8601 instant.*offset/],
    [['--as-of', '2026-11-23T09:00:00'], /not an ISO 8601 instant/],
    [['--as-of', 'yesterday'], /not an ISO 8601 instant/],
    [['--as-of', '2026-13-45T09:00:00Z'], /not an ISO 8601 instant/],
    [['--as-of'], /--as-of needs a value/],
    [['--as-of', '--json'], /--as-of needs a value/],
    [['--as-of', '2027-01-01T00:00:00Z'], /in the future.*\/stats/],
    [['--chart', 'week.svg'], /ends in \.png|ending in \.png/],
    [['--json', '--json'], /given twice/],
    [['--json=yes'], /takes no value/],
    [['--as_of', 'x'], /unknown argument "--as_of"/],
    [['report'], /unknown argument "report"/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => args(...argv)).toThrow(DigestArgsError);
    expect(() => args(...argv)).toThrow(message);
  });
});

describe('npm run digest: the command itself', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  // No configuration at all: arguments are checked before anything else is loaded.
  const cli = (...argv: string[]) =>
    promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/reports/digest-cli.ts', ...argv], { cwd: ROOT, env: { PATH: process.env.PATH }, timeout: 20_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('exits 2 on bad arguments, saying what is wrong and how to call it', async () => {
    const result = await cli('--as-of', '2026-11-23');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm run digest: --as-of "2026-11-23" is not an ISO 8601 instant.');
    expect(result.stderr).toContain('Usage: npm run digest --');
    expect(result.stdout).toBe('');
  });

  it('prints the usage with --help', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--post');
  });
});

describe('npm run digest: output', () => {
  let t: TestDatabase;
  let out: string;
  let err: string;
  const written = new Map<string, Uint8Array>();
  const asked: number[] = [];
  const config = parseConfig(testEnv({ OWNER_CHANNEL_ID: SAMPLE.channels.owners, REPORT_TIMEZONE: 'Europe/Berlin' }));
  const ports = (): DigestCliPorts => ({
    db: t.db,
    compute: async (asOf) => (asked.push(asOf), livelyDigest(asOf, 12)),
    config,
    clock: { now: () => NOW },
    logger: captureLogs([]).logger,
    outbox: { kick: () => undefined },
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    writeFile: async (p, data) => void written.set(p, data),
  });
  beforeEach(async () => {
    t = await freshDatabase();
    out = '';
    err = '';
    written.clear();
    asked.length = 0;
  });
  afterEach(() => t.cleanup());

  it('prints the text digest for the week ending at --as-of, every at-risk member listed', async () => {
    expect(await runDigestCli(args('--as-of', iso(AS_OF)), ports())).toBe(0);
    expect(asked).toEqual([AS_OF]);
    expect(out).toMatch(/^Weekly digest\nWeek Mon, Nov 16, 2026, 09:00 – Mon, Nov 23, 2026, 09:00 \(Europe\/Berlin\)/);
    expect(out).toContain('  MRR (USD): $1,234.56 (+$41.00)\n');
    expect(out).toContain(`member ${userId(12)}:`);
    expect(err).toBe('');
  });

  it('prints exactly the DigestJson with --json, and defaults to the latest DIGEST_CRON week', async () => {
    expect(await runDigestCli(args('--json'), ports())).toBe(0);
    // NOW is Thursday; DIGEST_CRON's default is Monday 09:00 in REPORT_TIMEZONE.
    expect(JSON.parse(out)).toEqual(livelyDigest(AS_OF, 12));
  });

  it('writes the chart with --chart', async () => {
    expect(await runDigestCli(args('--as-of', iso(AS_OF), '--chart', 'week.png'), ports())).toBe(0);
    const png = Buffer.from(written.get('week.png')!);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 900]);
    expect(err).toContain('Chart written to week.png');
  });

  it('queues the digest with --post once (even over a first-start baseline), and says who sends it', async () => {
    await catchUpDigest({ ...ports(), clock: { now: () => NOW } });
    expect(await runDigestCli(args('--as-of', iso(AS_OF), '--post'), ports())).toBe(0);
    expect(err).toContain("Queued for the owners' channel");
    expect(err).toContain('otherwise when it next starts');
    expect(await runDigestCli(args('--as-of', iso(AS_OF), '--post'), ports())).toBe(0);
    expect(err).toContain('was already posted; nothing queued');
    const rows = await t.db.selectFrom('outbox').select(['dedupe_key', 'payload']).execute();
    expect(rows.map((r) => r.dedupe_key)).toEqual([`digest:${iso(AS_OF)}`]);
    const payload = JSON.parse(rows[0]!.payload) as { target: unknown; files: { name: string; dataBase64: string }[] };
    expect(payload.target).toEqual({ channelId: SAMPLE.channels.owners });
    expect(payload.files.map((f) => f.name)).toEqual(['digest.png']);
    expect(await t.db.selectFrom('digests').select(['as_of', 'status']).execute()).toEqual([{ as_of: AS_OF, status: 'queued' }]);
  });
});
