import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextChannel, ThreadChannel } from 'discord.js';
import { expertRolesFor, handleThreadDeleted, handleThreadMessage } from '../../src/qa/answers.ts';
import { runQaFollowUps } from '../../src/qa/follow-up.ts';
import { SAMPLE, snowflakeTimestamp } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_QA } from '../../src/sandbox/qa.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { askQuestion, botMessages, deliver, events, prepareQa, question, say, TEST_QA, until } from './thread-fixtures.ts';

const { ada, brian, tess } = SAMPLE.users;
const DAY = 86_400_000;

describe('expertRolesFor', () => {
  it("maps a question's topics to their expert roles, ignoring topics no longer configured", () => {
    expect(expertRolesFor(SANDBOX_QA, ['typescript'])).toEqual([SAMPLE.roles.tsExperts]);
    expect(expertRolesFor(SANDBOX_QA, ['rust', 'typescript', 'cobol'])).toEqual([SAMPLE.roles.tsExperts, SAMPLE.roles.rustExperts]);
    expect(expertRolesFor(SANDBOX_QA, ['cobol'])).toEqual([]);
  });
});

describe('answers in question threads (MESSAGE_CREATE)', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false, qa: TEST_QA });
    await prepareQa(rig);
  });
  afterAll(() => rig.stop());

  const answers = (questionId: number) =>
    rig.app.db.selectFrom('answers').select(['author_id', 'message_id', 'at', 'is_expert']).where('question_id', '=', questionId).orderBy('at').execute();

  it('records a non-expert, then an expert answer, each at its own message time; the asker and bots are no answer', async () => {
    const q = await askQuestion(rig, { topics: ['typescript'] });
    // The expert notice is the bot's own message in the thread: it must not count.
    await deliver(rig);
    const asker = await rig.discord.postMessage({ channelId: q.threadId, authorId: ada, content: 'Some more details: TS 5.6' });
    await until(async () => (await question(rig, q.id)).last_activity_at === snowflakeTimestamp(asker.id));
    expect(await question(rig, q.id)).toMatchObject({ state: 'open', first_answer_at: null });

    const first = await say(rig, q.threadId, brian, 'Try a type guard');
    const expert = await say(rig, q.threadId, tess, 'Use a discriminated union with a literal kind field');
    await say(rig, q.threadId, brian, 'Or `in` narrowing');

    const row = await question(rig, q.id);
    expect(row).toMatchObject({
      state: 'answered',
      first_answer_at: snowflakeTimestamp(first.id),
      first_answer_by: brian,
      first_expert_answer_at: snowflakeTimestamp(expert.id),
      first_expert_answer_by: tess,
    });
    expect(row.last_activity_at).toBeGreaterThanOrEqual(snowflakeTimestamp(expert.id));
    const recorded = await answers(q.id);
    expect(recorded.map((a) => [a.author_id, a.is_expert])).toEqual([[brian, 0], [tess, 1], [brian, 0]]);
    expect(recorded[0]!.message_id).toBe(first.id);
    expect((await events(rig, q.id)).map((e) => [e.kind, e.actor_id])).toEqual([['asked', ada], ['answered', brian], ['expert_answered', tess]]);
  });

  it('stores no message text anywhere', async () => {
    const q = await askQuestion(rig);
    const secret = 'zebra-sentinel-4471';
    await say(rig, q.threadId, brian, `the answer is ${secret}`);
    const dump = JSON.stringify([
      await rig.app.db.selectFrom('answers').selectAll().execute(),
      await rig.app.db.selectFrom('questions').selectAll().execute(),
      await rig.app.db.selectFrom('question_events').selectAll().execute(),
    ]);
    expect(dump).not.toContain(secret);
  });

  it('an expert of another topic answers as a non-expert', async () => {
    const q = await askQuestion(rig, { topics: ['rust'] });
    await say(rig, q.threadId, tess, 'I only know TypeScript, but…');
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', first_answer_by: tess, first_expert_answer_at: null });
  });

  it('ignores messages outside question threads, and bot messages inside them', async () => {
    const { client, deps } = rig.app;
    const outside = await rig.discord.postMessage({ channelId: SAMPLE.channels.general, authorId: brian, content: 'hello' });
    const general = client.channels.cache.get(SAMPLE.channels.general) as TextChannel;
    const cached = await until(() => general.messages.cache.get(outside.id));
    expect(await handleThreadMessage(deps, cached)).toBe('ignored');
    const q = await askQuestion(rig);
    await deliver(rig);
    const notice = botMessages(rig, q.threadId).at(-1)!;
    const thread = client.channels.cache.get(q.threadId) as ThreadChannel;
    const botMessage = await until(() => thread.messages.cache.get(notice.id));
    expect(botMessage.author.bot).toBe(true);
    expect(await handleThreadMessage(deps, botMessage)).toBe('ignored');
    expect(await answers(q.id)).toEqual([]);
  });

  it('an answer from a member who left afterwards still counts, and so does an asker who left', async () => {
    const guest = { id: '1300000000000000931', username: 'guest' };
    await rig.discord.addMember(guest);
    const q = await askQuestion(rig, { askerId: guest.id });
    await rig.discord.removeMember(guest.id);
    await say(rig, q.threadId, brian, 'still answering');
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', first_answer_by: brian });
  });

  it('a deleted thread closes the question as stale, once, and the jobs leave it alone', async () => {
    const q = await askQuestion(rig);
    expect(await handleThreadDeleted(rig.app.deps, q.threadId)).toBe(true);
    expect(await handleThreadDeleted(rig.app.deps, q.threadId)).toBe(false);
    expect(await handleThreadDeleted(rig.app.deps, '1300000000000009999')).toBe(false);
    expect(await question(rig, q.id)).toMatchObject({ state: 'stale', archive_due_at: null });
    expect((await events(rig, q.id)).map((e) => e.kind)).toEqual(['asked', 'thread_deleted']);
    const later = { now: () => Date.now() + 30 * DAY };
    const { deps, client } = rig.app;
    await runQaFollowUps({ db: deps.db, rest: client.rest, qa: deps.qa!, clock: later, logger: deps.logger, outbox: deps.outbox });
    expect((await events(rig, q.id)).map((e) => e.kind)).toEqual(['asked', 'thread_deleted']);
  });
});
