import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { componentsOf, grant, member } from '../qa/ask-harness.ts';
import { postHarness, startPostsRig, WAIT, type PostsRig } from './post-harness.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12);
let now = T0;
const clock = { now: () => now };
const { ada } = SAMPLE.users;
const BODY = 'A walk through narrowing unions with discriminants, with examples.';

type Embed = { title: string; description: string; url?: string; fields: { name: string; value: string }[]; footer: { text: string } };
type Field = { type: number; component?: { custom_id: string; value?: string; options?: { value: string; default?: boolean }[] } };

describe('/post new', () => {
  let rig: PostsRig;
  const h = postHarness(() => rig);
  const db = () => rig.app.db;

  beforeAll(async () => {
    rig = await startPostsRig({ clock, content: { limits: { titleMax: 100, bodyMin: 30, bodyMax: 4000 }, rateLimit: { posts: 3, perHours: 24 }, tierChannels: { Pro: SAMPLE.channels.proLounge } } });
    await grant(db(), ada, 'Supporter');
    for (const n of [1, 2]) {
      await rig.discord.addMember(member(n));
      await grant(db(), member(n).id, 'Pro');
    }
  });
  afterAll(() => rig.stop());

  it('stores the post as pending, tells the author their place in the queue, and queues one review card', async () => {
    const menu = await h.submitForm(ada, { title: 'Narrowing unions', body: BODY, link: 'https://example.com/narrowing', kind: 'tutorial' });
    expect(menu).toMatchObject({ kind: 'reply', ephemeral: true });
    const [select] = componentsOf(menu);
    expect(select!.options!.map((o) => o.value)).toEqual(['all', 'Supporter', 'Pro', 'Founder']);
    const done = await h.selectMenuOf(ada, menu, 'Pro');
    expect(done).toMatchObject({ kind: 'update', ephemeral: true, components: [] });
    const post = await db().selectFrom('posts').selectAll().where('author_id', '=', ada).executeTakeFirstOrThrow();
    expect(post).toMatchObject({ state: 'pending', kind: 'tutorial', title: 'Narrowing unions', audience_tier: 'Pro', author_name: 'Ada', created_at: T0, published_message_id: null });
    const [version] = await db().selectFrom('post_versions').selectAll().where('post_id', '=', post.id).execute();
    expect(version).toMatchObject({ number: 1, status: 'pending', title: 'Narrowing unions', body: BODY, link: 'https://example.com/narrowing', submitted_at: T0 });
    expect(post.review_version_id).toBe(version!.id);
    expect(done.content).toBe(
      `📨 **Narrowing unions** (post #${post.id}) is waiting for review. You are **#1** in the review queue. Once approved it appears in <#${SAMPLE.channels.proLounge}> (pro members and above). You will get a DM with the outcome (or a private note here, if your DMs are closed).`,
    );

    const card = await h.card(version!.id);
    expect(card.content).toBe('📝 **Waiting for review**');
    const embed = card.embeds[0] as Embed;
    expect(embed).toMatchObject({ title: 'Narrowing unions', description: BODY, url: 'https://example.com/narrowing', footer: { text: `post #${post.id} · version 1 (id ${version!.id})` } });
    expect(embed.fields).toEqual(expect.arrayContaining([
      { name: 'Author', value: `<@${ada}> (Ada)`, inline: true },
      { name: 'Tier', value: 'Supporter', inline: true },
      { name: 'Other posts', value: 'none: a first post', inline: true },
      { name: 'Audience', value: 'Pro members and above', inline: true },
    ]));
    expect(componentsOf({ components: card.components } as never).map((c) => [c.custom_id, c.label])).toEqual([
      [`post-review:${version!.id}:approve`, 'Approve'],
      [`post-review:${version!.id}:reject`, 'Reject…'],
      [`post-review:${version!.id}:changes`, 'Request changes…'],
    ]);
    // Exactly one card, even though the outbox polls again.
    const rows = () => db().selectFrom('outbox').select(['dedupe_key', 'status']).where('source', '=', `post:${post.id}`).execute();
    await vi.waitFor(async () => expect(await rows()).toEqual([{ dedupe_key: `post-card:${version!.id}:submitted`, status: 'done' }]), { timeout: WAIT });
    expect(rig.discord.state.messagesIn(SAMPLE.channels.mods)).toHaveLength(1);
  });

  it('gives a later submission a later place, and /queue lists them oldest first with their age', async () => {
    now = T0 + 2 * H;
    const done = await h.write(member(1).id, { title: 'Career: from support to SRE', body: BODY, kind: 'career' });
    expect(done.content).toContain('You are **#2** in the review queue.');
    now = T0 + 5 * H;
    const list = await rig.discord.runCommand({ userId: SAMPLE.users.mo, name: 'queue' }).visibleReply(WAIT);
    expect(list).toMatchObject({ ephemeral: true });
    expect(list.content!.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^1\. #\d+ \*\*Narrowing unions\*\* by <@\d+> \(Tutorial\): waiting 5 h$/),
      expect.stringMatching(/^2\. #\d+ \*\*Career: from support to SRE\*\* by <@\d+> \(Career note\): waiting 3 h$/),
    ]);
    const refused = await rig.discord.runCommand({ userId: ada, name: 'queue' }).visibleReply(WAIT);
    expect(refused.content).toBe("You don't have permission to do that.");
  });

  it('refuses members without a paid tier, and lets moderators write', async () => {
    const refused = await rig.discord.runCommand({ userId: SAMPLE.users.brian, name: 'post', options: { new: {} } }).visibleReply(WAIT);
    expect(refused).toMatchObject({ kind: 'reply', ephemeral: true, content: "You don't have permission to do that. Posting is for paying members: /join to become one." });
    expect((await rig.discord.runCommand({ userId: SAMPLE.users.jules, name: 'post', options: { new: {} } }).visibleReply(WAIT)).kind).toBe('modal');
  });

  it('refuses empty, oversized and unsafe fields, names the field, and gives the text back with Fix it', async () => {
    const author = member(2).id;
    const cases: [Parameters<typeof h.submitForm>[1], string][] = [
      [{ title: '   ', body: BODY }, 'The title is empty: give your post a title.'],
      [{ title: 't', body: ' \n ' }, 'The text is empty: write your post.'],
      [{ title: 't', body: 'too short' }, 'The text is too short (9 characters; at least 30). Say a little more.'],
      [{ title: 'x'.repeat(101), body: BODY }, 'The title is too long (101 characters; at most 100).'],
      [{ title: 't', body: 'x'.repeat(4001) }, 'The text is too long (4001 characters; at most 4000).'],
      [{ title: 't', body: BODY, link: 'javascript:alert(document.cookie)' }, 'The link must be a web address starting with http:// or https:// (other schemes such as javascript: are not allowed).'],
      [{ title: 't', body: BODY, link: 'ftp://example.com/x' }, 'The link must be a web address starting with http:// or https:// (other schemes such as javascript: are not allowed).'],
      [{ title: 't', body: BODY, kind: 'essay' }, 'Pick what kind of post it is.'],
    ];
    for (const [fields, detail] of cases) {
      const reply = await h.submitForm(author, fields);
      expect(reply).toMatchObject({ ephemeral: true, content: `That input didn't work. ${detail} Press **Fix it** to get your text back.` });
    }
    expect(await db().selectFrom('posts').where('author_id', '=', author).select('id').execute()).toEqual([]);

    const refused = await h.submitForm(author, { title: 'Fix me', body: BODY, link: 'javascript:void(0)', kind: 'code' });
    const [fix] = componentsOf(refused);
    const form = await rig.discord.clickButton({ userId: author, message: String(refused.data.id), customId: fix!.custom_id! }).visibleReply(WAIT);
    expect(form).toMatchObject({ kind: 'modal', data: { custom_id: 'post-new', title: 'Fix your post' } });
    const fields = (form.data.components as Field[]).map((f) => f.component!);
    expect(fields.map((f) => [f.custom_id, f.value])).toEqual([['title', 'Fix me'], ['body', BODY], ['link', 'javascript:void(0)'], ['kind', undefined]]);
    expect(fields[3]!.options!.find((o) => o.default)?.value).toBe('code');
  });

  it('stops a member at the rate limit (edits count), saying when they can submit again', async () => {
    const author = member(2).id;
    now = T0 + 6 * H;
    await h.write(author, { title: 'First', body: BODY });
    now = T0 + 7 * H;
    await h.write(author, { title: 'Second', body: BODY });
    now = T0 + 8 * H;
    await h.write(author, { title: 'Third', body: BODY });
    const refused = await rig.discord.runCommand({ userId: author, name: 'post', options: { new: {} } }).visibleReply(WAIT);
    expect(refused.content).toBe(`You're doing that too often. The limit is 3 submissions (new posts and edits) per 24 h. You can submit again <t:${(T0 + 30 * H) / 1000}:R>.`);
    const [first] = await db().selectFrom('posts').select('id').where('author_id', '=', author).orderBy('id').execute();
    const edit = await rig.discord.runCommand({ userId: author, name: 'post', options: { edit: { post: first!.id } } }).visibleReply(WAIT);
    expect(edit.content).toBe(refused.content);
    now = T0 + 30 * H;
    expect((await rig.discord.runCommand({ userId: author, name: 'post', options: { new: {} } }).visibleReply(WAIT)).kind).toBe('modal');
  });

  it('offers only the member\'s own posts when picking one to edit', async () => {
    const seen = await rig.discord.autocomplete({ userId: member(2).id, name: 'post', options: { edit: { post: '' } } }).visibleReply(WAIT);
    const titles = (seen.data.choices as { name: string }[]).map((c) => c.name.replace(/^#\d+ /, ''));
    expect(titles).toEqual(['Third (waiting for review)', 'Second (waiting for review)', 'First (waiting for review)']);
    const typed = await rig.discord.autocomplete({ userId: member(2).id, name: 'post', options: { edit: { post: 'sec' } } }).visibleReply(WAIT);
    expect((typed.data.choices as { name: string }[]).map((c) => c.name)).toEqual([expect.stringMatching(/^#\d+ Second \(waiting for review\)$/)]);
  });

  it('lists the member\'s own posts with where each one stands', async () => {
    const mine = await rig.discord.runCommand({ userId: ada, name: 'post', options: { mine: {} } }).visibleReply(WAIT);
    expect(mine.content).toMatch(/^Your posts \(newest first\)\..*\n• #\d+ \*\*Narrowing unions\*\*: waiting for review \(#1 in the queue\)$/);
  });
});
