// The weekly digest end to end: the real bot (its outbox worker and discord.js) against the Discord
// emulator, every request validated against Discord's spec. Figures come from a fixture ComputeDigest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { catchUpDigest, digestJobs, runDigest } from '../../src/reports/digest-job.ts';
import type { DigestPorts } from '../../src/reports/digest-post.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { heldClock } from '../qa/thread-fixtures.ts';
import { AS_OF, livelyDigest, userId } from './fixtures.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const OWNERS = SAMPLE.channels.owners;
const ENV = { DIGEST_CRON: '0 9 * * 1', REPORT_TIMEZONE: 'Europe/Berlin' };

/** Records the weeks it was asked for (the current one; the chart's history is every other week back). */
function fixtureCompute() {
  const asked: number[] = [];
  return { asked, compute: async (asOf: number) => (asked.push(asOf), livelyDigest(asOf, 12)) };
}

async function start(dataDir: string) {
  const clock = heldClock();
  const rig = await startBotRig({ background: false, clock, dataDir, env: ENV });
  const figures = fixtureCompute();
  const ports: DigestPorts = { db: rig.app.db, compute: figures.compute, config: rig.config, clock, logger: rig.logs.logger, outbox: { kick: () => undefined } };
  return { rig, clock, ports, figures };
}

const digestRows = (rig: BotRig) => rig.app.db.selectFrom('digests').select(['as_of', 'status', 'dedupe_key']).orderBy('as_of').execute();
const queued = (rig: BotRig) => rig.app.db.selectFrom('outbox').select(['dedupe_key', 'status']).where('dedupe_key', 'like', 'digest:%').orderBy('id').execute();
const posts = (rig: BotRig) => rig.discord.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${OWNERS}/messages`);

describe('the weekly digest is posted exactly once', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guildhall-digest-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('first start records a baseline; the fire posts once, even with two instances at once; a restart posts nothing more', async () => {
    const first = await start(dataDir);
    try {
      // A fresh install on Sunday: last Monday's digest was never due to anyone, so nothing is posted.
      expect(await first.clock.at(AS_OF - DAY, () => catchUpDigest(first.ports))).toEqual({ status: 'baseline', asOf: AS_OF - WEEK });
      expect(await first.clock.at(AS_OF - DAY + 3_600_000, () => runDigest(first.ports))).toEqual({ status: 'already', asOf: AS_OF - WEEK });

      // Monday 09:00 Berlin: two runs race (both pass the "already posted?" check before either
      // claims), then a second instance with its own connection to the same file runs too.
      const results = await first.clock.at(AS_OF, () => Promise.all([runDigest(first.ports), runDigest(first.ports)]));
      expect(results.map((r) => r.status).sort()).toEqual(['already', 'queued']);
      expect(first.figures.asked.filter((t) => t === AS_OF)).toHaveLength(2);
      const second = openDatabase(path.join(dataDir, 'bot.sqlite'));
      try {
        expect(await first.clock.at(AS_OF + 1000, () => runDigest({ ...first.ports, db: second }))).toEqual({ status: 'already', asOf: AS_OF });
      } finally {
        await second.destroy();
      }
      expect(await digestRows(first.rig)).toEqual([
        { as_of: AS_OF - WEEK, status: 'baseline', dedupe_key: null },
        { as_of: AS_OF, status: 'queued', dedupe_key: `digest:${new Date(AS_OF).toISOString()}` },
      ]);
      await first.clock.at(AS_OF, () => first.rig.app.membership.outbox.drain());

      const [post, ...more] = posts(first.rig);
      expect(more).toEqual([]);
      const body = post!.body as { embeds: { title: string; image: { url: string }; fields: { name: string; value: string }[] }[]; allowed_mentions: unknown };
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.embeds[0]!.image.url).toBe('attachment://digest.png');
      expect(body.embeds[0]!.fields.find((f) => f.name === 'At risk')!.value).toContain(`<@${userId(1)}>`);
      expect(post!.attachments).toEqual([expect.objectContaining({ filename: 'digest.png', contentType: 'image/png' })]);
      // As Discord stores it: the chart attached, and nobody pinged.
      const [message] = first.rig.discord.state.messagesIn(OWNERS);
      expect(message!.mentions).toEqual([]);
      const png = Buffer.from(await (await fetch(String((message!.attachments[0] as { url: string }).url))).arrayBuffer());
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 900]);
    } finally {
      await first.rig.stop();
    }

    const again = await start(dataDir);
    try {
      expect(await again.clock.at(AS_OF + 3_600_000, () => catchUpDigest(again.ports))).toEqual({ status: 'already', asOf: AS_OF });
      expect(await again.clock.at(AS_OF + 2 * 3_600_000, () => runDigest(again.ports))).toEqual({ status: 'already', asOf: AS_OF });
      expect(again.figures.asked).toEqual([]);
      expect(await queued(again.rig)).toEqual([{ dedupe_key: `digest:${new Date(AS_OF).toISOString()}`, status: 'done' }]);
      await again.clock.at(AS_OF + 2 * 3_600_000, () => again.rig.app.membership.outbox.drain());
      expect(posts(again.rig)).toEqual([]);
    } finally {
      await again.rig.stop();
    }
  });

  it('a week missed while the bot was down is posted on return, for that week (not "now")', async () => {
    const back = await start(dataDir);
    try {
      // Down over the next Monday; back on Thursday.
      const outcome = await back.clock.at(AS_OF + WEEK + 3 * DAY, () => catchUpDigest(back.ports));
      expect(outcome.status).toBe('queued');
      expect(outcome.status === 'queued' && outcome.digest.as_of).toBe(new Date(AS_OF + WEEK).toISOString());
      expect(back.figures.asked[0]).toBe(AS_OF + WEEK);
      await back.clock.at(AS_OF + WEEK + 3 * DAY, () => back.rig.app.membership.outbox.drain());
      expect(posts(back.rig)).toHaveLength(1);
      expect(await back.clock.at(AS_OF + WEEK + 3 * DAY, () => catchUpDigest(back.ports))).toEqual({ status: 'already', asOf: AS_OF + WEEK });
    } finally {
      await back.rig.stop();
    }
  });

  it('a run a moment early (timer drift) waits and posts the week it was aimed at', async () => {
    const early = await start(dataDir);
    try {
      const outcome = await early.clock.at(AS_OF + 2 * WEEK - 40, () => runDigest(early.ports));
      expect(outcome.status === 'queued' && outcome.digest.as_of).toBe(new Date(AS_OF + 2 * WEEK).toISOString());
    } finally {
      await early.rig.stop();
    }
  });
});

describe('digestJobs', () => {
  it('runs on DIGEST_CRON in REPORT_TIMEZONE, with an hourly retry', () => {
    const jobs = digestJobs({ config: { digestCron: '0 9 * * 1', reportTimezone: 'Europe/Berlin', ownerChannelId: OWNERS } } as DigestPorts);
    expect(jobs.map(({ name, cron, timezone }) => ({ name, cron, timezone }))).toEqual([
      { name: 'digest', cron: '0 9 * * 1', timezone: 'Europe/Berlin' },
      { name: 'digest-retry', cron: '17 * * * *', timezone: undefined },
    ]);
  });
});
