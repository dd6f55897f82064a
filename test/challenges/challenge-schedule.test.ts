import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { runChallengeSchedule } from '../../src/challenges/challenge-schedule.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { auditActions, challengeDriver, challengeRow, CHANNEL, grant, HOUR, MINUTE, setClock, startChallengeRig, T0 } from './challenge-harness.ts';

const { ada, mo, jules } = SAMPLE.users;

describe('the challenge job: announce and close exactly once, across restarts, catching up after downtime', () => {
  const clock = setClock();
  let rig: BotRig;
  /** The bot process of the moment: a restart replaces it over the same database and the same Discord. */
  let app: App;
  const d = challengeDriver(() => ({ ...rig, app }), clock);
  const db = () => app.db;
  const channel = () => d.botMessages(CHANNEL).map((m) => m.content.split('\n')[0]);
  const outboxKeys = async (prefix: string) =>
    (await db().selectFrom('outbox').select(['dedupe_key', 'status']).where('dedupe_key', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => `${r.dedupe_key} ${r.status}`);

  async function restart(): Promise<void> {
    await app.stop();
    app = await createApp(rig.config, { logger: rig.logs.logger, clock, background: false });
    await app.start();
  }

  beforeAll(async () => {
    rig = await startChallengeRig(clock);
    app = rig.app;
    await grant(db(), ada, 'Supporter');
  });
  afterAll(async () => {
    await app.stop();
    await rig.stop();
  });

  it('announces at the start and closes at the deadline once, even when the bot stops before delivering', async () => {
    clock.t = T0;
    const { id } = await d.create(mo, { points: 10 }, { title: 'Once', statement: 'S', start: '2026-11-25 14:00', deadline: '2026-11-26 14:00' });
    const start = Date.UTC(2026, 10, 25, 13);
    const deadline = Date.UTC(2026, 10, 26, 13);
    expect((await d.tick(start - MINUTE)).announced).toBe(0);
    // The job claims the announcement, then the bot stops before the outbox posts it.
    clock.t = start;
    expect(await runChallengeSchedule(app.deps)).toEqual({ announced: 1, closed: 0, queued: 0 });
    await restart();
    expect(await d.tick(start + MINUTE)).toEqual({ announced: 0, closed: 0, queued: 0 });
    expect(channel()).toEqual(['🧩 **A new challenge is open:** Once']);
    const announcement = d.botMessages(CHANNEL)[0]!;
    expect(announcement.mentions).toEqual([]);
    expect((announcement.embeds[0] as { description: string }).description).toBe('S');

    clock.t = start + HOUR;
    await d.enter(ada, id!, { solution: 'mine' });
    expect((await d.tick(deadline)).closed).toBe(1);
    await restart();
    expect(await d.tick(deadline + MINUTE)).toEqual({ announced: 0, closed: 0, queued: 0 });
    expect(channel()).toEqual(['🧩 **A new challenge is open:** Once', `⏰ **Challenge #${id} · Once** is closed. 1 entry went to the judges; results follow once they agree.`]);
    expect(d.cards()).toHaveLength(1);
    expect(await outboxKeys(`challenge:${id}:`)).toEqual([`challenge:${id}:announce done`, `challenge:${id}:judge:1 done`, `challenge:${id}:closed done`]);
    expect(await auditActions(db(), id!)).toEqual(['created', 'announced', 'closed']);

    // The queue card posted before the restart still works: its custom_id carries the entry's id.
    const judged = await d.judge(jules, 1, 'accept');
    expect(judged.kind).toBe('update');
    expect(await challengeRow(db(), id!)).toMatchObject({ state: 'judged' });
  });

  it('two runs at once claim each transition once', async () => {
    clock.t = T0 + 2 * 24 * HOUR;
    const { id } = await d.create(mo, { points: 1 }, { title: 'Race', statement: 'S', start: '2026-11-27 14:00', deadline: '2026-11-28 14:00' });
    clock.t = Date.UTC(2026, 10, 27, 13);
    const runs = await Promise.all([runChallengeSchedule(app.deps), runChallengeSchedule(app.deps), runChallengeSchedule(app.deps)]);
    expect(runs.reduce((n, r) => n + r.announced, 0)).toBe(1);
    await d.deliver();
    expect(channel().filter((c) => c?.includes('Race'))).toHaveLength(1);
    expect((await challengeRow(db(), id!)).state).toBe('open');
    await d.tick(Date.UTC(2026, 10, 28, 13));
  });

  it('after downtime, a challenge whose whole window passed is announced, then closed, in that order', async () => {
    clock.t = Date.UTC(2026, 11, 1, 9);
    const missed = await d.create(mo, { points: 5 }, { title: 'Missed', statement: 'While the bot was down', start: '2026-12-01 12:00', deadline: '2026-12-02 12:00' });
    const later = await d.create(mo, { points: 5 }, { title: 'Later', statement: 'Next week', start: '2026-12-09 12:00', deadline: '2026-12-10 12:00' });
    await app.stop();
    // Three days pass with the bot down.
    clock.t = Date.UTC(2026, 11, 4, 9);
    app = await createApp(rig.config, { logger: rig.logs.logger, clock, background: false });
    await app.start();
    const before = channel().length;
    expect(await d.tick(clock.t)).toEqual({ announced: 1, closed: 1, queued: 0 });
    expect(channel().slice(before)).toEqual(['🧩 **A new challenge is open:** Missed', `⏰ **Challenge #${missed.id} · Missed** is closed. No entries arrived.`]);
    expect(await challengeRow(db(), missed.id!)).toMatchObject({ state: 'judged', announced_at: clock.t, closed_at: clock.t });
    const late = await db().selectFrom('challenge_audit').select(['action', 'detail']).where('challenge_id', '=', missed.id!).where('action', 'in', ['announced', 'closed']).orderBy('id').execute();
    expect(late.map((r) => [r.action, JSON.parse(r.detail!)])).toEqual([
      ['announced', { late_ms: clock.t - Date.UTC(2026, 11, 1, 11) }],
      ['closed', { entries: 0, late_ms: clock.t - Date.UTC(2026, 11, 2, 11) }],
    ]);
    expect((await challengeRow(db(), later.id!)).state).toBe('scheduled');
    expect(await d.tick(clock.t + MINUTE)).toEqual({ announced: 0, closed: 0, queued: 0 });
  });
});
