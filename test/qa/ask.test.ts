import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { syncForumTags } from '../../src/qa/forum-tags.ts';
import { attachThread, createQuestion, markSolved } from '../../src/qa/questions-repo.ts';
import { SAMPLE, type RawMessage } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { askHarness, componentsOf, grant, member, questionsOf } from './ask-harness.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12);
let now = T0;
const clock = { now: () => now };
const GUILD = SAMPLE.guildId;
const { tsExperts, rustExperts } = SAMPLE.roles;

type Embed = { title: string; description: string; author: { name: string }; fields: { name: string; value: string }[] };
type Body = { allowed_mentions?: unknown; applied_tags?: string[]; type?: number; message?: { allowed_mentions?: unknown }; embeds?: Embed[] };

describe('/ask in a forum', () => {
  let rig: BotRig;
  const h = askHarness(() => rig.discord);
  const db = () => rig.app.db;
  const posts = (path: string) => rig.discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path));
  const threadMessages = (threadId: string): RawMessage[] => rig.discord.state.messagesIn(threadId);
  /** The outbox delivers the expert notice: wait for it. */
  const notice = (threadId: string) => rig.discord.waitFor(() => threadMessages(threadId).find((m) => m.content.includes('<@&')), 10_000);
  const tagId = (name: string) => (rig.discord.state.channels.get(SAMPLE.channels.forum)!.available_tags as { id: string; name: string }[]).find((t) => t.name === name)!.id;

  beforeAll(async () => {
    rig = await startBotRig({ clock });
    // The lead wires this into app.start; calling it again is a no-op.
    await syncForumTags(rig.app.client.rest, rig.app.deps.qa!, rig.logs.logger);
    await grant(db(), SAMPLE.users.ada, 'Supporter');
    for (const n of [1, 3, 5, 6, 7]) {
      await rig.discord.addMember(member(n));
      await grant(db(), member(n).id, 'Supporter');
    }
    await rig.discord.addMember(member(2));
    await grant(db(), member(2).id, 'Pro');
    await rig.discord.addMember(member(4), { roles: [SAMPLE.roles.moderator] });
  });
  afterAll(() => rig.stop());

  it('posts the question as a tagged forum thread, pings the topic experts once and tells the asker how it works', async () => {
    const code = 'function f<T>(x: T) {\n  if (typeof x === "string") return x;\n}';
    const menu = await h.submit(SAMPLE.users.ada, { title: 'Generic narrowing with typeof', question: 'Why is x still T after the check?', code });
    expect(menu).toMatchObject({ kind: 'reply', ephemeral: true });
    const [select] = componentsOf(menu);
    expect(select).toMatchObject({ type: 3, min_values: 1, max_values: 2 });
    expect(select!.options!.map((o) => o.value)).toEqual(['typescript', 'rust']);
    const stateId = select!.custom_id!.replace(/^ask-topics:/, '');
    const draft = await db().selectFrom('ui_state').selectAll().where('id', '=', stateId).executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ kind: 'qa-draft', owner_id: SAMPLE.users.ada, expires_at: T0 + H });

    const done = await h.pick(SAMPLE.users.ada, menu, ['typescript']);
    const [q] = await questionsOf(db(), SAMPLE.users.ada);
    expect(q).toMatchObject({ state: 'open', channel_id: SAMPLE.channels.forum, topics: '["typescript"]', code, created_at: T0, reminder_due_at: T0 + 12 * H });
    const threadId = q!.thread_id!;
    expect(done).toMatchObject({ kind: 'update', ephemeral: true });
    expect(done.content).toContain(`Your question is posted: https://discord.com/channels/${GUILD}/${threadId}`);
    expect(done.content).toMatch(/typescript experts were notified[\s\S]*Apps → Mark as solution[\s\S]*\/solved/);
    expect(componentsOf(done)).toEqual([expect.objectContaining({ type: 2, url: `https://discord.com/channels/${GUILD}/${threadId}` })]);

    const thread = rig.discord.state.channels.get(threadId)!;
    expect(thread).toMatchObject({ parent_id: SAMPLE.channels.forum, name: 'Generic narrowing with typeof', applied_tags: [tagId('typescript')] });
    const embed = threadMessages(threadId)[0]!.embeds[0] as Embed;
    expect(embed).toMatchObject({ title: 'Generic narrowing with typeof', author: { name: 'Ada' } });
    expect(embed.description).toBe(`Why is x still T after the check?\n\n\`\`\`\n${code}\n\`\`\``);
    expect(embed.fields).toEqual([
      { name: 'Asked by', value: `<@${SAMPLE.users.ada}>`, inline: true },
      { name: 'Topic', value: 'typescript', inline: true },
    ]);

    const ping = await notice(threadId);
    expect(ping.content).toBe(`<@&${tsExperts}> a new question in **typescript**. Answer here in the thread.`);
    const sent = posts(`/channels/${threadId}/messages`);
    expect(sent.map((r) => (r.body as Body).allowed_mentions)).toEqual([{ parse: [], roles: [tsExperts] }]);
    expect(threadMessages(threadId)).toHaveLength(2);
    const events = await db().selectFrom('question_events').select(['kind', 'actor_id', 'at']).where('question_id', '=', q!.id).execute();
    expect(events).toEqual([{ kind: 'asked', actor_id: SAMPLE.users.ada, at: T0 }]);
    // Posted: the draft is gone, so a second click cannot post it again.
    expect(await db().selectFrom('ui_state').where('id', '=', stateId).select('id').executeTakeFirst()).toBeUndefined();
  });

  it('shows similar solved questions with jump links first, and posts after "Post anyway"', async () => {
    const seeded = await createQuestion(db(), {
      channelId: SAMPLE.channels.forum, askerId: SAMPLE.users.tess, title: 'Narrowing a discriminated union in a switch', body: 'The kind field does not narrow the union.',
      code: null, topics: ['typescript'], createdAt: T0 - 48 * H, reminderDueAt: T0 - 36 * H,
    });
    await attachThread(db(), seeded.id, '1300000000000007001');
    await markSolved(db(), {
      questionId: seeded.id, actor: { by: SAMPLE.users.tess, isModerator: false }, solutionMessageId: '1300000000000007002',
      solutionAuthorId: SAMPLE.users.ada, solutionText: 'Make kind a literal type.', at: T0 - 47 * H, points: 10, archiveDueAt: null,
    });
    const asker = member(1).id;
    const dupes = await h.ask(asker, { title: 'Discriminated union does not narrow', question: 'switch (x.kind) leaves the union wide' }, ['typescript']);
    expect(dupes.content).toContain(
      `• [Narrowing a discriminated union in a switch](https://discord.com/channels/${GUILD}/1300000000000007001) ([solution](https://discord.com/channels/${GUILD}/1300000000000007001/1300000000000007002))`,
    );
    expect(await questionsOf(db(), asker)).toEqual([]);
    // A double click: both clicks arrive, exactly one posts.
    const [first, second] = await Promise.all([h.click(asker, dupes, 'Post anyway'), h.click(asker, dupes, 'Post anyway')]);
    const questions = await questionsOf(db(), asker);
    expect(questions).toHaveLength(1);
    const [done, other] = first.content!.startsWith('Your question is posted') ? [first, second] : [second, first];
    expect(done.content).toContain(`https://discord.com/channels/${GUILD}/${questions[0]!.thread_id}`);
    expect(other.content).toMatch(/already being posted|run \/ask again/);
    expect(rig.discord.state.channels.get(questions[0]!.thread_id!)?.applied_tags).toEqual([tagId('typescript')]);
  });

  it('shortens long code to fit the embed, keeps the code block closed, and tells the asker', async () => {
    const asker = member(7).id;
    const code = Array.from({ length: 120 }, (_, i) => `const line${i} = "\`\`\`"; // ${i}`).join('\n');
    const done = await h.ask(asker, { title: 'A long snippet', question: 'q'.repeat(3800), code }, ['typescript']);
    expect(done.content).toContain('Your code was too long to show in full with the question: paste the rest in the thread.');
    const [q] = await questionsOf(db(), asker);
    expect(q!.code).toBe(code);
    const { description } = threadMessages(q!.thread_id!)[0]!.embeds[0] as Embed;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description.startsWith(`${'q'.repeat(3800)}\n\n\`\`\`\nconst line0`)).toBe(true);
    // The member's own fences are broken up, so exactly one block opens and closes.
    expect(description.match(/```/g)).toHaveLength(2);
    expect(description).toMatch(/\n```\n\*\(code shortened to fit: paste the rest in the thread\)\*$/);
  });

  it('posts a question full of mentions without pinging anyone but the chosen experts', async () => {
    const asker = member(2).id;
    const question = `@everyone @here please help <@&${tsExperts}> <@${SAMPLE.users.brian}>: cargo says borrowed value does not live long enough`;
    await h.ask(asker, { title: '@everyone borrow checker', question }, ['rust']);
    const [q] = await questionsOf(db(), asker);
    // Pro is a Q&A priority tier: its reminder comes after 4 hours instead of 12.
    expect(q).toMatchObject({ reminder_due_at: T0 + 4 * H, topics: '["rust"]' });
    const threadId = q!.thread_id!;
    await notice(threadId);
    const created = posts(`/channels/${SAMPLE.channels.forum}/threads`).find((r) => (r.response as { id: string }).id === threadId)!;
    expect((created.body as Body).message!.allowed_mentions).toEqual({ parse: [] });
    expect(posts(`/channels/${threadId}/messages`).map((r) => (r.body as Body).allowed_mentions)).toEqual([{ parse: [], roles: [rustExperts] }]);
    const messages = threadMessages(threadId);
    expect((messages[0]!.embeds[0] as Embed).description).toBe(question);
    expect(messages[1]!.content).not.toContain('@everyone');
    for (const m of messages) expect(m).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
  });

  it('refuses a member over the rate limit, saying when they can ask again', async () => {
    const asker = member(3).id;
    for (const hoursAgo of [25, 20, 10, 1]) {
      await createQuestion(db(), { channelId: SAMPLE.channels.forum, askerId: asker, title: 't', body: 'b', code: null, topics: ['rust'], createdAt: T0 - hoursAgo * H, reminderDueAt: T0 });
    }
    // Three in the last 24 hours; the one from 20 hours ago leaves the window 4 hours from now.
    const refused = await h.run(asker);
    expect(refused).toMatchObject({ kind: 'reply', ephemeral: true });
    expect(refused.content).toBe(`You're doing that too often. You can ask again <t:${(T0 + 4 * H) / 1000}:R>.`);
    now = T0 + 4 * H;
    try {
      expect((await h.run(asker)).kind).toBe('modal');
    } finally {
      now = T0;
    }
  });

  it('refuses members outside the asking tiers, and lets moderators ask', async () => {
    const refused = await h.run(SAMPLE.users.brian);
    expect(refused.content).toBe("You don't have permission to do that. Q&A is for Supporter, Pro, Founder members: /join");
    expect((await h.run(member(4).id)).kind).toBe('modal');
  });

  it('refuses empty and oversized fields, naming the field', async () => {
    const asker = member(5).id;
    const cases: [Parameters<typeof h.submit>[1], string][] = [
      [{ title: '   ', question: 'q' }, 'The title is empty: give your question a one-line title.'],
      [{ title: 't', question: ' \n ' }, 'The question is empty: describe what you want to know.'],
      [{ title: 'x'.repeat(101), question: 'q' }, 'The title is too long (101 characters; at most 100). Shorten it and run /ask again.'],
      [{ title: 't', question: 'x'.repeat(4001) }, 'The question is too long (4001 characters; at most 4000). Shorten it and run /ask again.'],
      [{ title: 't', question: 'q', code: 'x'.repeat(4001) }, 'The code is too long (4001 characters; at most 4000). Shorten it and run /ask again.'],
    ];
    for (const [fields, detail] of cases) {
      const reply = await h.submit(asker, fields);
      expect(reply).toMatchObject({ ephemeral: true, content: `That input didn't work. ${detail}`, components: [] });
    }
    expect(await db().selectFrom('ui_state').where('owner_id', '=', asker).select('id').execute()).toEqual([]);
  });

  it('leaves no question behind when Discord refuses the thread, and the same draft posts on a retry', async () => {
    const asker = member(6).id;
    const menu = await h.submit(asker, { title: 'Lifetimes in async closures', question: 'Why does the future not live long enough?' });
    rig.discord.injectFault({ method: 'POST', path: `/channels/${SAMPLE.channels.forum}/threads`, status: 403, code: 50013 });
    const failed = await h.pick(asker, menu, ['rust']);
    expect(failed.content).toMatch(/Discord did not accept the question thread\. Your draft is kept for an hour/);
    expect(await questionsOf(db(), asker)).toEqual([]);
    await h.pick(asker, menu, ['rust']);
    expect(await questionsOf(db(), asker)).toHaveLength(1);
  });

  // Last: it replaces the rig's app with a second one over the same database.
  it('keeps the draft across a restart between the modal and the topic choice', async () => {
    const asker = SAMPLE.users.ada;
    const menu = await h.submit(asker, { title: 'Zod or valibot for env parsing', question: 'Which one and why?' });
    await rig.app.stop();
    const app = await createApp(rig.config, { logger: rig.logs.logger, clock });
    await app.start();
    try {
      const done = await h.pick(asker, menu, ['typescript']);
      const questions = await questionsOf(app.db, asker);
      expect(questions.map((q) => q.title)).toEqual(['Generic narrowing with typeof', 'Zod or valibot for env parsing']);
      expect(done.content).toContain(`https://discord.com/channels/${GUILD}/${questions[1]!.thread_id}`);
    } finally {
      await app.stop();
    }
  });
});

describe('/ask in a text channel', () => {
  let rig: BotRig;
  const h = askHarness(() => rig.discord);
  beforeAll(async () => {
    rig = await startBotRig({ clock, env: { QA_CHANNEL_ID: SAMPLE.channels.general } });
    await grant(rig.app.db, SAMPLE.users.ada, 'Supporter');
  });
  afterAll(() => rig.stop());

  it('opens a public thread and posts the question embed in it', async () => {
    await h.ask(SAMPLE.users.ada, { title: 'Tags without a forum', question: 'Does this work in #general?' }, ['typescript']);
    const [q] = await questionsOf(rig.app.db, SAMPLE.users.ada);
    const threadId = q!.thread_id!;
    const created = rig.discord.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${SAMPLE.channels.general}/threads`))!;
    expect(created.body).toMatchObject({ name: 'Tags without a forum', type: 11 });
    expect(rig.discord.state.channels.get(threadId)).toMatchObject({ type: 11, parent_id: SAMPLE.channels.general });
    const ping = await rig.discord.waitFor(() => rig.discord.state.messagesIn(threadId).find((m) => m.content.includes('<@&')), 10_000);
    const [question] = rig.discord.state.messagesIn(threadId);
    expect((question!.embeds[0] as Embed).title).toBe('Tags without a forum');
    expect(ping.id).not.toBe(question!.id);
  });
});

describe('/ask with Q&A off', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ env: { QA_CHANNEL_ID: undefined as unknown as string } });
  });
  afterAll(() => rig.stop());

  it('says Q&A is not switched on and how an admin turns it on', async () => {
    const reply = await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'ask' }).visibleReply();
    expect(reply).toMatchObject({ ephemeral: true });
    expect(reply.content).toBe("That doesn't work here. Q&A is not switched on in this server. An admin turns it on by setting QA_CHANNEL_ID and listing the topics in qa.json.");
  });
});
