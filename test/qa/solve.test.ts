import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf } from '../../src/qa/points.ts';
import { searchSolved } from '../../src/qa/search.ts';
import { parseMessageLink } from '../../src/qa/solve-flow.ts';
import { withSolvedTag } from '../../src/qa/thread-tags.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { appliedTagNames, askQuestion, botMessages, deliver, events, MODERATOR, prepareQa, question, say, TEST_QA } from './thread-fixtures.ts';

const { ada, brian, tess } = SAMPLE.users;
const link = (threadId: string, messageId: string) => `https://discord.com/channels/${SAMPLE.guildId}/${threadId}/${messageId}`;

describe('pure parts', () => {
  it('parseMessageLink reads links from every Discord host, bare ids, and nothing else', () => {
    const m = { channelId: '1300000000000000777', messageId: '1300000000000000888' };
    for (const host of ['discord.com', 'ptb.discord.com', 'canary.discord.com', 'discordapp.com']) {
      expect(parseMessageLink(`https://${host}/channels/${SAMPLE.guildId}/${m.channelId}/${m.messageId}`)).toEqual(m);
    }
    expect(parseMessageLink(` <https://discord.com/channels/${SAMPLE.guildId}/${m.channelId}/${m.messageId}> `)).toEqual(m);
    expect(parseMessageLink(m.messageId)).toEqual({ messageId: m.messageId });
    for (const bad of ['', 'the last one', `https://evil.example/channels/${SAMPLE.guildId}/${m.channelId}/${m.messageId}`, `https://discord.com/channels/${SAMPLE.guildId}/${m.channelId}`]) {
      expect(parseMessageLink(bad)).toBeNull();
    }
  });

  it('withSolvedTag keeps topic tags, makes room at 5, and removes only Solved', () => {
    expect(withSolvedTag(['t1'], 'S', true)).toEqual(['t1', 'S']);
    expect(withSolvedTag(['t1', 'S'], 'S', true)).toEqual(['t1', 'S']);
    expect(withSolvedTag(['t1', 't2', 't3', 't4', 't5'], 'S', true)).toEqual(['t1', 't2', 't3', 't4', 'S']);
    expect(withSolvedTag(['t1', 'S', 't2'], 'S', false)).toEqual(['t1', 't2']);
  });
});

describe('marking the solution, and /reopen', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false, qa: TEST_QA });
    await prepareQa(rig);
  });
  afterAll(() => rig.stop());

  const markAs = (userId: string, threadId: string, messageId: string) =>
    rig.discord.runCommand({ userId, name: 'Mark as solution', type: 3, targetId: messageId, channelId: threadId }).visibleReply();
  const run = (userId: string, name: string, threadId: string, options: Record<string, unknown> = {}) =>
    rig.discord.runCommand({ userId, name, channelId: threadId, options }).visibleReply();
  const threadPatches = (threadId: string) => rig.discord.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/channels/${threadId}`));

  async function answered() {
    const q = await askQuestion(rig, { title: 'Narrowing a discriminated union', body: 'My switch does not narrow the payload type.' });
    const plain = await say(rig, q.threadId, brian, 'Maybe restart the TS server?');
    const expert = await say(rig, q.threadId, tess, 'Give each variant a literal kind field and switch on it: exhaustiveness via never.');
    await deliver(rig);
    return { ...q, plain, expert };
  }

  it('by a random member: refused, and nothing changes', async () => {
    const q = await answered();
    const seen = await markAs(brian, q.threadId, q.expert.id);
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toBe(`You don't have permission to do that. Only the person who asked (<@${ada}>) or a moderator can mark the solution.`);
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', solution_message_id: null });
    expect(await pointsOf(rig.app.db, tess)).toBe(0);
    expect((await events(rig, q.id)).map((e) => e.kind)).not.toContain('solved');
    const reopen = await run(brian, 'reopen', q.threadId);
    expect(reopen.content).toBe(`You don't have permission to do that. Only the person who asked (<@${ada}>) or a moderator can reopen it.`);
    await deliver(rig);
    expect(botMessages(rig, q.threadId).some((m) => m.content.includes('Solved'))).toBe(false);
    expect(threadPatches(q.threadId)).toEqual([]);
  });

  it('by the asker: Solved tag kept beside the topic, jump link crediting the answerer, points, search; then /reopen undoes it', async () => {
    const q = await answered();
    expect(appliedTagNames(rig, q.threadId)).toEqual(['typescript']);
    const seen = await markAs(ada, q.threadId, q.expert.id);
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toContain(`Marked as the solution: ${link(q.threadId, q.expert.id)}. <@${tess}> gets 10 points.`);

    const row = await question(rig, q.id);
    expect(row).toMatchObject({
      state: 'solved', solution_message_id: q.expert.id, solution_author_id: tess, solved_by: ada,
      // The context menu carries the text: the excerpt is stored (and searchable).
      solution_excerpt: 'Give each variant a literal kind field and switch on it: exhaustiveness via never.',
    });
    expect(row.archive_due_at! - row.solved_at!).toBe(TEST_QA.archiveHours * 3_600_000);
    expect(appliedTagNames(rig, q.threadId)).toEqual(['typescript', 'Solved']);
    expect(await pointsOf(rig.app.db, tess)).toBe(10);
    expect((await searchSolved(rig.app.db, 'exhaustiveness', 5)).map((h) => h.id)).toEqual([q.id]);
    const solvedEvent = (await events(rig, q.id)).find((e) => e.kind === 'solved');
    expect(solvedEvent).toMatchObject({ actor_id: ada });

    await deliver(rig);
    const notice = botMessages(rig, q.threadId).at(-1)!;
    expect(notice.content).toContain(`<@${tess}>'s answer (+10 points): ${link(q.threadId, q.expert.id)}`);
    // The answerer is pinged on purpose (credit), nobody else.
    expect(notice.mentions.map((u) => u.id)).toEqual([tess]);

    const again = await markAs(ada, q.threadId, q.expert.id);
    expect(again.content).toBe(`That message already is the solution: ${link(q.threadId, q.expert.id)}`);
    const other = await markAs(ada, q.threadId, q.plain.id);
    expect(other.content).toMatch(/already solved\. Use \/reopen first/);

    const reopened = await run(ada, 'reopen', q.threadId);
    expect(reopened.content).toContain('Reopened: the question is **answered** again');
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered', solution_message_id: null, archive_due_at: null });
    expect(appliedTagNames(rig, q.threadId)).toEqual(['typescript']);
    expect(await pointsOf(rig.app.db, tess)).toBe(0);
    expect(await searchSolved(rig.app.db, 'exhaustiveness', 5)).toEqual([]);
    expect((await events(rig, q.id)).map((e) => [e.kind, e.actor_id]).slice(-2)).toEqual([['solved', ada], ['reopened', ada]]);
    await deliver(rig);
    expect(botMessages(rig, q.threadId).at(-1)!.content).toContain(`**Reopened** by <@${ada}>. The solution points were taken back.`);
    expect(botMessages(rig, q.threadId).at(-1)!.mentions).toEqual([]);
  });

  it("refuses a bot's message as the solution, and use outside a question thread", async () => {
    const q = await answered();
    const starter = botMessages(rig, q.threadId)[0]!;
    const seen = await markAs(ada, q.threadId, starter.id);
    expect(seen.content).toBe("That input didn't work. Pick a member's reply as the solution, not a bot message.");
    const general = await rig.discord.postMessage({ channelId: SAMPLE.channels.general, authorId: tess, content: 'hi' });
    const outside = await markAs(ada, SAMPLE.channels.general, general.id);
    expect(outside.content).toBe(`That doesn't work here. Use this inside a question's thread in <#${SAMPLE.channels.forum}>.`);
    expect((await run(ada, 'solved', SAMPLE.channels.general)).content).toMatch(/^That doesn't work here\./);
    expect(await question(rig, q.id)).toMatchObject({ state: 'answered' });
  });

  it('by a moderator with /solved and no link: the latest answer; with a link from another thread: refused', async () => {
    const q = await answered();
    const elsewhere = await answered();
    const wrong = await run(MODERATOR.id, 'solved', q.threadId, { message: link(elsewhere.threadId, elsewhere.expert.id) });
    expect(wrong.content).toBe("That input didn't work. That message is not in this thread: pick an answer posted here.");
    const bad = await run(MODERATOR.id, 'solved', q.threadId, { message: 'the good one' });
    expect(bad.content).toMatch(/^That input didn't work\. Paste a message link/);

    const seen = await run(MODERATOR.id, 'solved', q.threadId);
    expect(seen.content).toContain(`Marked as the solution: ${link(q.threadId, q.expert.id)}.`);
    expect(await question(rig, q.id)).toMatchObject({ state: 'solved', solution_author_id: tess, solved_by: MODERATOR.id });
    expect((await events(rig, q.id)).find((e) => e.kind === 'solved')).toMatchObject({ actor_id: MODERATOR.id });
    await deliver(rig);
    expect(botMessages(rig, q.threadId).at(-1)!.content).toContain(`Marked by <@${MODERATOR.id}> (moderator).`);

    const byLink = await run(ada, 'solved', elsewhere.threadId, { message: link(elsewhere.threadId, elsewhere.plain.id) });
    expect(byLink.content).toContain(`Marked as the solution: ${link(elsewhere.threadId, elsewhere.plain.id)}.`);
    expect(await question(rig, elsewhere.id)).toMatchObject({ state: 'solved', solution_author_id: brian });
  });

  it('still solves when Discord refuses the tag, and says so', async () => {
    const q = await answered();
    rig.discord.injectFault({ method: 'PATCH', path: `/channels/${q.threadId}`, status: 403, code: 50013 });
    const seen = await markAs(ada, q.threadId, q.expert.id);
    expect(seen.content).toContain('(Discord refused the Solved tag; the moderators can see why in the logs.)');
    expect(await question(rig, q.id)).toMatchObject({ state: 'solved' });
    expect(appliedTagNames(rig, q.threadId)).toEqual(['typescript']);
  });

  it('/solved before any answer says so', async () => {
    const q = await askQuestion(rig);
    const seen = await run(ada, 'solved', q.threadId);
    expect(seen.content).toMatch(/^I couldn't find that\. Nobody has answered here yet\./);
  });

  it('works when the asker has left the server: a moderator marks it, the asker gets no ping', async () => {
    const guest = { id: '1300000000000000932', username: 'leaver' };
    await rig.discord.addMember(guest);
    const q = await askQuestion(rig, { askerId: guest.id });
    const answer = await say(rig, q.threadId, tess, 'Here is how');
    await rig.discord.removeMember(guest.id);
    const seen = await markAs(MODERATOR.id, q.threadId, answer.id);
    expect(seen.content).toContain('Marked as the solution');
    expect(await question(rig, q.id)).toMatchObject({ state: 'solved', solution_author_id: tess });
    await deliver(rig);
    expect(botMessages(rig, q.threadId).at(-1)!.mentions.map((u) => u.id)).toEqual([tess]);
  });
});
