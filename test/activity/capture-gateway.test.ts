import { readFileSync } from 'node:fs';
import { Events } from 'discord.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityKind } from '../../src/activity/sink.ts';
import { SAMPLE, snowflakeTimestamp } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { askHarness, grant } from '../qa/ask-harness.ts';
import { prepareQa, say, TEST_QA, until } from '../qa/thread-fixtures.ts';
import { captureFor, type RigCapture } from './rig-capture.ts';

const { ada, brian, tess } = SAMPLE.users;
const { general, voice } = SAMPLE.channels;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 25, 12);
let now = T0;
const clock = { now: () => now };
const MUSIC_BOT = { id: '1300000000000009301', username: 'musicbot', bot: true };
const SECRET = 'SECRET-CHAT-TEXT-7f3a';

describe('activity capture from the gateway (real bot, Discord emulator, every request checked against the spec)', () => {
  let rig: BotRig;
  let c: RigCapture;
  const seenContent: string[] = [];
  const h = askHarness(() => rig.discord);
  const rows = (kind: ActivityKind) =>
    rig.app.db.selectFrom('activity_events').select(['user_id', 'at', 'channel_id', 'ref', 'ended_at']).where('kind', '=', kind).orderBy('id').execute();
  /** Flushes until `check` holds over the rows of `kind` (gateway dispatches are handled asynchronously). */
  const rowsWhen = (kind: ActivityKind, check: (r: Awaited<ReturnType<typeof rows>>) => boolean) =>
    until(async () => {
      await c.capture.flush();
      const r = await rows(kind);
      return check(r) ? r : null;
    });

  beforeAll(async () => {
    rig = await startBotRig({ clock, background: false, qa: TEST_QA });
    await prepareQa(rig);
    c = captureFor(rig);
    await grant(rig.app.db, ada, 'Supporter');
    await rig.discord.addMember(MUSIC_BOT);
    rig.app.client.on(Events.MessageCreate, (m) => void seenContent.push(m.content));
  });
  afterAll(async () => {
    await c?.stop();
    await rig?.stop();
  });

  it('a member message counts at its own snowflake time; bots and the bot itself never', async () => {
    const mine = await rig.discord.postMessage({ channelId: general, authorId: ada, content: `<@${SAMPLE.applicationId}> ${SECRET}` });
    await rig.discord.postMessage({ channelId: general, authorId: MUSIC_BOT.id, content: 'now playing' });
    await rig.discord.postMessage({ channelId: general, authorId: SAMPLE.applicationId, content: 'hello' });
    const last = await rig.discord.postMessage({ channelId: general, authorId: brian, content: 'hi' });
    const got = await rowsWhen('message', (r) => r.length >= 2);
    expect(got).toEqual([
      { user_id: ada, at: snowflakeTimestamp(mine.id), channel_id: general, ref: null, ended_at: null },
      { user_id: brian, at: snowflakeTimestamp(last.id), channel_id: general, ref: null, ended_at: null },
    ]);
    // The text did reach the bot (the message mentions it), and still it is stored nowhere (last test).
    expect(seenContent.some((text) => text.includes(SECRET))).toBe(true);
  });

  it('Q&A: question asked, thread (forum post) messages, answers and the solution, plus the commands used', async () => {
    const start = (await rows('message')).length;
    const posted = await h.ask(ada, { title: 'Why does my union not narrow?', question: 'A switch on kind leaves the payload wide.' }, ['typescript']);
    expect(posted.content).toContain('Your question is posted');
    const q = await rig.app.db.selectFrom('questions').select(['id', 'thread_id']).where('asker_id', '=', ada).executeTakeFirstOrThrow();
    const threadId = q.thread_id!;
    await until(() => rig.app.client.channels.cache.has(threadId));
    const byBrian = await say(rig, threadId, brian, 'Try a type guard.');
    const byTess = await say(rig, threadId, tess, 'Give each variant a literal kind.');
    const byAda = await rig.discord.postMessage({ channelId: threadId, authorId: ada, content: 'Thanks!' });
    now = T0 + 5 * MIN;
    const marked = await rig.discord.runCommand({ userId: ada, name: 'Mark as solution', type: 3, targetId: byTess.id, channelId: threadId }).visibleReply();
    expect(marked.content).toContain('Marked as the solution');

    const ref = `question:${q.id}`;
    expect((await rowsWhen('message', (r) => r.length >= start + 3)).slice(start)).toEqual(
      [byBrian, byTess, byAda].map((m) => ({ user_id: m.author.id, at: snowflakeTimestamp(m.id), channel_id: threadId, ref: null, ended_at: null })),
    );
    expect(await rowsWhen('question_asked', (r) => r.length > 0)).toEqual([{ user_id: ada, at: T0, channel_id: threadId, ref, ended_at: null }]);
    // The asker's own message is activity, not an answer.
    expect(await rows('answer')).toEqual([byBrian, byTess].map((m) => ({ user_id: m.author.id, at: snowflakeTimestamp(m.id), channel_id: threadId, ref, ended_at: null })));
    expect(await rowsWhen('solution', (r) => r.length > 0)).toEqual([{ user_id: tess, at: T0 + 5 * MIN, channel_id: threadId, ref, ended_at: null }]);
    // /ask's modal and topic menu are no commands; the slash command and the context menu are.
    expect((await rows('command')).map((r) => [r.user_id, r.ref])).toEqual([[ada, 'command:ask'], [ada, 'command:Mark as solution']]);
  });

  it('a slash command counts at the interaction time; a reaction at receipt time; bots never', async () => {
    const help = rig.discord.runCommand({ userId: brian, name: 'help' });
    await help.visibleReply();
    const commands = await rowsWhen('command', (r) => r.some((x) => x.ref === 'command:help'));
    expect(commands.filter((x) => x.ref === 'command:help')).toEqual([{ user_id: brian, at: snowflakeTimestamp(help.id), channel_id: general, ref: 'command:help', ended_at: null }]);

    now = T0 + 10 * MIN;
    const target = rig.discord.state.messagesIn(general)[0]!;
    await rig.discord.addReaction({ channelId: general, messageId: target.id, userId: MUSIC_BOT.id, emoji: '🎵' });
    await rig.discord.addReaction({ channelId: general, messageId: target.id, userId: tess, emoji: '👍' });
    expect(await rowsWhen('reaction', (r) => r.length > 0)).toEqual([{ user_id: tess, at: T0 + 10 * MIN, channel_id: general, ref: null, ended_at: null }]);
  });

  it('voice: one session from join to leave, timed on receipt; a bot in voice leaves no trace', async () => {
    const open = (userId: string) =>
      until(async () => {
        await c.capture.flush();
        return rig.app.db.selectFrom('voice_sessions_open').selectAll().where('user_id', '=', userId).executeTakeFirst();
      });
    now = T0 + 20 * MIN;
    await rig.discord.joinVoice(MUSIC_BOT.id, voice);
    await rig.discord.joinVoice(brian, voice);
    expect(await open(brian)).toEqual({ user_id: brian, channel_id: voice, started_at: T0 + 20 * MIN, seen_at: T0 + 20 * MIN });
    now = T0 + 32 * MIN + 30_000;
    await rig.discord.leaveVoice(MUSIC_BOT.id);
    await rig.discord.leaveVoice(brian);
    expect(await rowsWhen('voice', (r) => r.length > 0)).toEqual([{ user_id: brian, at: T0 + 20 * MIN, channel_id: voice, ref: null, ended_at: T0 + 32 * MIN + 30_000 }]);
    expect(await rig.app.db.selectFrom('voice_sessions_open').selectAll().execute()).toEqual([]);
  });

  it("joins at Discord's joined_at, leaves at receipt time; bots never", async () => {
    const newbie = { id: '1300000000000009302', username: 'newbie' };
    await rig.discord.addMember(newbie, { joinedAt: '2026-11-20T08:30:00.000Z' });
    await rig.discord.addMember({ id: '1300000000000009303', username: 'otherbot', bot: true });
    const joins = await rowsWhen('join', (r) => r.some((x) => x.user_id === newbie.id));
    // (The Q&A moderator joined while the test started: only this test's members are looked at.)
    expect(joins.filter((x) => [newbie.id, '1300000000000009303'].includes(x.user_id))).toEqual([{ user_id: newbie.id, at: Date.parse('2026-11-20T08:30:00.000Z'), channel_id: null, ref: null, ended_at: null }]);
    now = T0 + 40 * MIN;
    await rig.discord.removeMember(MUSIC_BOT.id);
    await rig.discord.removeMember(newbie.id);
    expect(await rowsWhen('leave', (r) => r.length > 0)).toEqual([{ user_id: newbie.id, at: T0 + 40 * MIN, channel_id: null, ref: null, ended_at: null }]);
  });

  it('stores no message text: no column can hold it, and the text is nowhere in the database file', async () => {
    const columns = async (table: string) => (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(rig.app.db)).rows.map((r) => r.name);
    expect(await columns('activity_events')).toEqual(['id', 'user_id', 'kind', 'at', 'channel_id', 'ref', 'ended_at']);
    expect(await columns('activity_hourly')).toEqual(['hour', 'user_id', 'kind', 'count', 'voice_ms', 'first_at', 'last_at']);
    expect(await columns('activity_member_days')).toEqual(['day', 'user_id', 'first_at', 'last_at']);
    expect(await columns('voice_sessions_open')).toEqual(['user_id', 'channel_id', 'started_at', 'seen_at']);
    await c.capture.flush();
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(rig.app.db);
    expect(readFileSync(rig.config.databasePath).includes(SECRET)).toBe(false);
    expect(await rig.app.db.selectFrom('activity_events').select('id').where('user_id', 'in', [MUSIC_BOT.id, '1300000000000009303', SAMPLE.applicationId]).execute()).toEqual([]);
  });
});
