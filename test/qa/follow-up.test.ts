import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderMessage, runQaFollowUps } from '../../src/qa/follow-up.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { askQuestion, botMessages, deliver, events, heldClock, prepareQa, question, say, TEST_QA } from './thread-fixtures.ts';

const { ada, brian, tess } = SAMPLE.users;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The job as the lead's cron runs it, at a chosen moment, then the outbox delivers what it queued. Nothing in it survives between runs. */
const clocks = new WeakMap<BotRig, ReturnType<typeof heldClock>>();
async function start(dataDir?: string): Promise<BotRig> {
  const clock = heldClock();
  const rig = await startBotRig({ background: false, qa: TEST_QA, clock, dataDir });
  clocks.set(rig, clock);
  return rig;
}
const runAt = (rig: BotRig, now: number) =>
  clocks.get(rig)!.at(now, async () => {
    const { deps, client } = rig.app;
    const result = await runQaFollowUps({ db: deps.db, rest: client.rest, qa: deps.qa!, clock: deps.clock, logger: deps.logger, outbox: deps.outbox });
    await deliver(rig);
    return result;
  });
const posts = (rig: BotRig, threadId: string) => rig.discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${threadId}/messages`));
const patches = (rig: BotRig, threadId: string) => rig.discord.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/channels/${threadId}`));
const kinds = async (rig: BotRig, id: number) => (await events(rig, id)).map((e) => e.kind);

describe('reminderMessage', () => {
  it("pings the topics' expert roles only, and says how long it waited", () => {
    const m = reminderMessage(TEST_QA, { topics: '["typescript","rust"]', created_at: 0 }, 12 * HOUR);
    expect(m.allowed_mentions).toEqual({ parse: [], roles: [SAMPLE.roles.tsExperts, SAMPLE.roles.rustExperts] });
    expect(m.content).toBe(`<@&${SAMPLE.roles.tsExperts}> <@&${SAMPLE.roles.rustExperts}> this question has had no answer for 12 h. Can you help? (This is its only reminder.)`);
  });
});

describe('the unanswered reminder fires once, across runs and a restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guildhall-qa-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reminds once when due, never again', async () => {
    const first = await start(dataDir);
    let q: { id: number; threadId: string };
    let created: number;
    try {
      await prepareQa(first);
      q = await askQuestion(first, { reminderHours: 12 });
      created = (await question(first, q.id)).created_at;
      await deliver(first);
      expect((await runAt(first, created + 11 * HOUR)).reminded).toBe(0);
      expect((await runAt(first, created + 12 * HOUR)).reminded).toBe(1);
      expect((await runAt(first, created + 12 * HOUR + 10 * 60_000)).reminded).toBe(0);
      await deliver(first);
      const reminders = posts(first, q.threadId).filter((r) => String((r.body as { content?: string }).content).includes('no answer for 12 h'));
      expect(reminders).toHaveLength(1);
      expect((reminders[0]!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], roles: [SAMPLE.roles.tsExperts] });
      expect(await question(first, q.id)).toMatchObject({ state: 'open', reminded_at: created + 12 * HOUR });
    } finally {
      await first.stop();
    }
    // Same database, new process: the stamp and the outbox row are what remember the reminder.
    const second = await start(dataDir);
    try {
      expect((await runAt(second, created + 13 * HOUR)).reminded).toBe(0);
      expect(await kinds(second, q.id)).toEqual(['asked', 'reminded']);
      const queued = await second.app.db.selectFrom('outbox').select(['dedupe_key', 'status']).where('dedupe_key', 'like', 'qa:remind:%').execute();
      expect(queued).toEqual([{ dedupe_key: `qa:remind:${q.id}`, status: 'done' }]);
    } finally {
      await second.stop();
    }
  });
});

describe('nudge, stale, archive', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await start();
    await prepareQa(rig);
  });
  afterAll(() => rig.stop());

  it('an answered question nudges its asker once, with a button that marks the solution', async () => {
    const q = await askQuestion(rig);
    const plain = await say(rig, q.threadId, brian, 'Did you try turning it off and on?');
    const expert = await say(rig, q.threadId, tess, 'Use satisfies');
    const created = (await question(rig, q.id)).created_at;
    await runAt(rig, created + 3 * DAY - 60_000);
    expect(await question(rig, q.id)).toMatchObject({ nudged_at: null });
    await runAt(rig, created + 3 * DAY);
    await runAt(rig, created + 3 * DAY + 10 * 60_000);
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', nudged_at: created + 3 * DAY });
    expect((await kinds(rig, q.id)).filter((k) => k === 'nudged')).toHaveLength(1);
    await deliver(rig);
    const nudges = botMessages(rig, q.threadId).filter((m) => m.content.includes('your question has 2 answers'));
    expect(nudges).toHaveLength(1);
    const nudge = nudges[0]!;
    expect(nudge.mentions.map((u) => u.id)).toEqual([ada]);

    const bystander = await rig.discord.clickButton({ userId: brian, message: nudge.id, customId: `qa-nudge:${q.id}` }).visibleReply();
    expect(bystander.content).toBe(`You don't have permission to do that. Only the person who asked (<@${ada}>) or a moderator can mark the solution.`);

    const picker = await rig.discord.clickButton({ userId: ada, message: nudge.id, customId: `qa-nudge:${q.id}` }).visibleReply();
    expect(picker.ephemeral).toBe(true);
    expect(picker.content).toContain(`1. <@${tess}> https://discord.com/channels/${SAMPLE.guildId}/${q.threadId}/${expert.id}`);
    expect(picker.content).toContain(`2. <@${brian}> https://discord.com/channels/${SAMPLE.guildId}/${q.threadId}/${plain.id}`);
    const menu = (picker.components as { components: { custom_id: string; options: { value: string }[] }[] }[])[0]!.components[0]!;
    expect(menu.custom_id).toBe(`qa-pick:${q.id}`);
    expect(menu.options.map((o) => o.value)).toEqual([expert.id, plain.id]);

    const picked = await rig.discord.selectMenu({ userId: ada, message: picker.data, customId: `qa-pick:${q.id}`, values: [expert.id], channelId: q.threadId }).visibleReply();
    expect(picked.content).toContain(`Marked as the solution: https://discord.com/channels/${SAMPLE.guildId}/${q.threadId}/${expert.id}.`);
    expect(picked.components).toEqual([]);
    expect(await question(rig, q.id)).toMatchObject({ state: 'solved', solution_author_id: tess, solved_by: ada });

    const late = await rig.discord.clickButton({ userId: ada, message: nudge.id, customId: `qa-nudge:${q.id}` }).visibleReply();
    expect(late.content).toMatch(/^That was already handled\. It is already solved/);
  });

  it('an inactive question closes as stale with a reason, once, without a reminder in the same run', async () => {
    const q = await askQuestion(rig);
    const created = (await question(rig, q.id)).created_at;
    await runAt(rig, created + 14 * DAY);
    await runAt(rig, created + 15 * DAY);
    const row = await question(rig, q.id);
    expect(row).toMatchObject({ state: 'stale', stale_at: created + 14 * DAY, reminded_at: null });
    expect((await events(rig, q.id)).slice(1)).toEqual([{ kind: 'stale', actor_id: null, detail: 'no activity for 14 days' }]);
    await deliver(rig);
    const notices = botMessages(rig, q.threadId).filter((m) => m.content.includes('Closed as stale'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.mentions).toEqual([]);
  });

  it('activity keeps a question from going stale', async () => {
    const q = await askQuestion(rig);
    await say(rig, q.threadId, ada, 'still stuck');
    const row = await question(rig, q.id);
    await runAt(rig, row.last_activity_at + 14 * DAY - 1);
    expect(await question(rig, q.id)).toMatchObject({ state: 'open' });
  });

  it('a solved thread archives after the delay, once; /reopen unarchives it', async () => {
    const q = await askQuestion(rig);
    const answer = await say(rig, q.threadId, tess, 'This works');
    await rig.discord.runCommand({ userId: ada, name: 'Mark as solution', type: 3, targetId: answer.id, channelId: q.threadId }).visibleReply();
    const { archive_due_at: due } = await question(rig, q.id);
    const before = patches(rig, q.threadId).length;
    await runAt(rig, due! - 60_000);
    expect(patches(rig, q.threadId)).toHaveLength(before);
    expect((await runAt(rig, due!)).archived).toBeGreaterThanOrEqual(1);
    await runAt(rig, due! + 10 * 60_000);
    const archives = patches(rig, q.threadId).slice(before);
    expect(archives.map((r) => r.body)).toEqual([{ archived: true }]);
    expect(await question(rig, q.id)).toMatchObject({ state: 'solved', archived_at: due });
    expect(rig.discord.state.channels.get(q.threadId)!.thread_metadata).toMatchObject({ archived: true });
    expect((await kinds(rig, q.id)).filter((k) => k === 'archived')).toHaveLength(1);

    const reopened = await rig.discord.runCommand({ userId: ada, name: 'reopen', channelId: q.threadId }).visibleReply();
    expect(reopened.content).toContain('Reopened');
    expect(rig.discord.state.channels.get(q.threadId)!.thread_metadata).toMatchObject({ archived: false });
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', archived_at: null, archive_due_at: null });
  });

  it('a thread deleted while the bot was away: the archive meets Unknown Channel, closes it as stale, and stops trying', async () => {
    const q = await askQuestion(rig);
    const answer = await say(rig, q.threadId, tess, 'Answer');
    await rig.discord.runCommand({ userId: ada, name: 'Mark as solution', type: 3, targetId: answer.id, channelId: q.threadId }).visibleReply();
    const { archive_due_at: due } = await question(rig, q.id);
    rig.discord.state.channels.delete(q.threadId);
    expect((await runAt(rig, due!)).gone).toBe(1);
    expect(await question(rig, q.id)).toMatchObject({ state: 'stale', archived_at: null, archive_due_at: null });
    expect((await kinds(rig, q.id)).slice(-1)).toEqual(['thread_deleted']);
    const tries = patches(rig, q.threadId).length;
    await runAt(rig, due! + DAY);
    expect(patches(rig, q.threadId)).toHaveLength(tries);
  });
});
