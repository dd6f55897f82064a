import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf } from '../../src/qa/points.ts';
import { SAMPLE, type RawMessage } from '../../src/sandbox/discord/index.ts';
import { componentsOf, grant, member } from '../qa/ask-harness.ts';
import { postHarness, startPostsRig, WAIT, type PostsRig } from './post-harness.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12);
let now = T0;
const clock = { now: () => now };
const { ada, mo, jules } = SAMPLE.users;
const BODY = 'How to validate environment variables with zod at startup, and why it pays off.';
const sec = (ms: number) => Math.floor(ms / 1000);

type Embed = { title: string; description: string; author?: { name: string }; fields: { name: string; value: string }[] };
const buttonsOf = (m: RawMessage) => componentsOf({ components: m.components } as never);

describe('reviewing posts', () => {
  let rig: PostsRig;
  const h = postHarness(() => rig);
  const db = () => rig.app.db;
  const decisionsOf = (postId: number) => db().selectFrom('post_decisions').selectAll().where('post_id', '=', postId).orderBy('id').execute();
  const requestsTo = (channelId: string) => rig.discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${channelId}/messages`));

  beforeAll(async () => {
    rig = await startPostsRig({ clock });
    await grant(db(), ada, 'Supporter');
    for (const n of [1, 2, 3, 4]) {
      await rig.discord.addMember(member(n));
      await grant(db(), member(n).id, n === 4 ? 'Pro' : 'Supporter');
    }
  });
  afterAll(() => rig.stop());

  it('publishes an approved post as an embed crediting the author with a rating row, tells the author, and credits points', async () => {
    const { post, version, card } = await h.submitted(ada, { title: 'Typed env with zod', body: BODY, link: 'https://example.com/env' });
    now = T0 + 2 * H;
    const reply = await h.click(mo, card, `post-review:${version.id}:approve`);
    const [decision] = await decisionsOf(post.id);
    expect(decision).toMatchObject({ action: 'approve', actor_id: mo, at: T0 + 2 * H, reason: null, version_id: version.id });
    expect(reply).toMatchObject({ kind: 'update', content: `✅ Approved by <@${mo}> at <t:${sec(T0 + 2 * H)}:f>` });
    expect(componentsOf(reply).map((c) => [c.custom_id, (c as { disabled?: boolean }).disabled])).toEqual([
      [`post-review:${version.id}:approve`, true], [`post-review:${version.id}:reject`, true], [`post-review:${version.id}:changes`, true],
      [`post-reverse:${decision!.id}:card`, false],
    ]);
    // Review time is measurable: submitted, then decided two hours later.
    expect(await db().selectFrom('post_versions').select(['status', 'submitted_at', 'decided_at']).where('id', '=', version.id).executeTakeFirst()).toEqual({ status: 'approved', submitted_at: T0, decided_at: T0 + 2 * H });

    const { post: live, message } = await h.published(post.id);
    expect(live).toMatchObject({ published_channel_id: SAMPLE.channels.content, published_at: T0 + 2 * H, points_ref: `post:${post.id}:approval:${decision!.id}` });
    expect(message.content).toBe(`New article by <@${ada}>`);
    const embed = message.embeds[0] as Embed;
    expect(embed).toMatchObject({ title: 'Typed env with zod', description: BODY, url: 'https://example.com/env', author: { name: 'Ada' } });
    expect(embed.fields).toContainEqual({ name: 'By', value: `<@${ada}>`, inline: true });
    expect(buttonsOf(message).map((c) => [c.custom_id, c.label])).toEqual([1, 2, 3, 4, 5].map((n) => [`rate:${post.id}:${n}`, `${n}★`]));
    const [sent] = requestsTo(SAMPLE.channels.content);
    expect(sent!.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true, nonce: expect.stringMatching(/^gp/) });

    const dm = await h.dm(ada, 'was approved');
    expect(dm.content).toBe(`✅ Your post “Typed env with zod” (post #${post.id}) was approved and is published in <#${SAMPLE.channels.content}>. You earned 15 points.`);
    expect(await pointsOf(db(), ada)).toBe(15);
  });

  it('turns two moderators clicking Approve at the same moment into one decision, and tells the other who decided', async () => {
    const author = member(1).id;
    const { post, version, card } = await h.submitted(author, { title: 'Two clicks, one decision', body: BODY });
    const id = `post-review:${version.id}:approve`;
    const replies = await Promise.all([h.click(mo, card, id), h.click(jules, card, id)]);
    const decisions = await decisionsOf(post.id);
    expect(decisions).toHaveLength(1);
    const winner = decisions[0]!.actor_id;
    const loser = replies.find((r) => r.kind !== 'update')!;
    expect(replies.filter((r) => r.kind === 'update')).toHaveLength(1);
    expect(loser).toMatchObject({ ephemeral: true, content: `That was already handled. Already decided by <@${winner}> at <t:${sec(now)}:f>: ✅ Approved.` });
    await h.published(post.id);
    expect(requestsTo(SAMPLE.channels.content).filter((r) => JSON.stringify(r.body).includes('Two clicks, one decision'))).toHaveLength(1);
    expect(await db().selectFrom('points').select(['amount', 'ref']).where('member_id', '=', author).execute()).toEqual([{ amount: 15, ref: `post:${post.id}:approval:${decisions[0]!.id}` }]);
  });

  it('rejects with a reason the author reads, with a button that reopens their text; the audit trail keeps it', async () => {
    const author = member(2).id;
    const { post, version, card } = await h.submitted(author, { title: 'Buy my course', body: BODY, kind: 'other' });
    const reply = await h.withReason(jules, card, `post-review:${version.id}:reject`, 'Promotion is not allowed here.');
    expect(reply.content).toBe(`❌ Rejected by <@${jules}> at <t:${sec(now)}:f>\n> Promotion is not allowed here.`);
    expect(await db().selectFrom('posts').select('state').where('id', '=', post.id).executeTakeFirst()).toEqual({ state: 'rejected' });
    expect(await decisionsOf(post.id)).toMatchObject([{ action: 'reject', actor_id: jules, reason: 'Promotion is not allowed here.' }]);
    const dm = await h.dm(author, 'not accepted');
    expect(dm.content).toBe(`❌ Your post “Buy my course” (post #${post.id}) was not accepted. The moderators said:\n> Promotion is not allowed here.\nYou can edit it and submit it again.`);
    const form = await h.click(author, dm, `post-edit:${post.id}`);
    expect(form).toMatchObject({ kind: 'modal', data: { custom_id: `post-edit-form:${post.id}`, title: 'Edit your post' } });
    expect(JSON.stringify(form.data.components)).toContain('"value":"Buy my course"');

    const view = await rig.discord.runCommand({ userId: mo, name: 'queue', options: { post: post.id } }).visibleReply(WAIT);
    expect(view.content).toContain(`**Post #${post.id}: Buy my course** by <@${author}>, now **rejected**`);
    expect(view.content).toContain(`❌ Rejected by <@${jules}>`);
    expect(componentsOf(view).map((c) => c.label)).toEqual(['Reverse: Rejected…']);
  });

  it('sends a post back with a change request; the author edits it from the DM and it is approved', async () => {
    const author = member(3).id;
    const { post, version, card } = await h.submitted(author, { title: 'Rust lifetimes', body: BODY, kind: 'tutorial' });
    await h.withReason(mo, card, `post-review:${version.id}:changes`, 'Add a runnable example, please.');
    const dm = await h.dm(author, 'asked for changes');
    expect(dm.content).toContain('> Add a runnable example, please.');
    await h.click(author, dm, `post-edit:${post.id}`);
    const edited = await rig.discord.submitModal({
      userId: author, customId: `post-edit-form:${post.id}`, channelId: rig.discord.dmChannelId(author),
      fields: { title: 'Rust lifetimes, with an example', body: `${BODY}\n\nfn main() {}`, link: '', kind: ['tutorial'] },
    }).visibleReply(WAIT);
    expect(edited.content).toMatch(/is waiting for review\. You are \*\*#1\*\* in the review queue\./);
    const versions = await db().selectFrom('post_versions').select(['number', 'status']).where('post_id', '=', post.id).orderBy('number').execute();
    expect(versions).toEqual([{ number: 1, status: 'superseded' }, { number: 2, status: 'pending' }]);
    const v2 = await db().selectFrom('post_versions').selectAll().where('post_id', '=', post.id).where('number', '=', 2).executeTakeFirstOrThrow();
    const card2 = await h.card(v2.id);
    expect(card2.content).toBe('📝 **Waiting for review**\nResubmitted after a change request.');
    // The first card shows the request, its buttons off.
    expect(rig.discord.state.findMessage(card.id)!.content).toBe(`✏️ Changes requested by <@${mo}> at <t:${sec(now)}:f>\n> Add a runnable example, please.`);
    await h.click(jules, card2, `post-review:${v2.id}:approve`);
    const { message } = await h.published(post.id);
    expect((message.embeds[0] as Embed).title).toBe('Rust lifetimes, with an example');
  });

  it('answers a click on the card of a version its author replaced while it waited', async () => {
    const author = member(2).id;
    const { post, version, card } = await h.submitted(author, { title: 'First draft', body: BODY });
    await rig.discord.runCommand({ userId: author, name: 'post', options: { edit: { post: post.id } } }).visibleReply(WAIT);
    await rig.discord.submitModal({ userId: author, customId: `post-edit-form:${post.id}`, fields: { title: 'Second draft', body: BODY, link: '', kind: ['article'] } }).visibleReply(WAIT);
    const stale = await h.click(mo, card, `post-review:${version.id}:approve`);
    expect(stale.content).toBe('That was already handled. This version was replaced by a newer edit from the author: review its card instead.');
    expect(await decisionsOf(post.id)).toEqual([]);
  });

  it('publishes text full of @everyone and role mentions without pinging anyone', async () => {
    const author = member(1).id;
    const body = `@everyone @here read this! <@&${SAMPLE.roles.tsExperts}> <@${SAMPLE.users.brian}> — a post about mentions.`;
    const { post, version, card } = await h.submitted(author, { title: '@everyone look', body });
    await h.click(mo, card, `post-review:${version.id}:approve`);
    const { message } = await h.published(post.id);
    expect((message.embeds[0] as Embed).description).toBe(body);
    const sent = requestsTo(SAMPLE.channels.content).find((r) => (r.response as { id: string }).id === message.id)!;
    expect((sent.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    expect(message).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
  });

  it('publishes a post for a tier in that tier\'s channel', async () => {
    const { post, version, card } = await h.submitted(member(4).id, { title: 'For Pro members', body: BODY }, 'Pro');
    await h.click(jules, card, `post-review:${version.id}:approve`);
    const { post: live } = await h.published(post.id);
    expect(live.published_channel_id).toBe(SAMPLE.channels.proLounge);
    expect(rig.discord.state.messagesIn(SAMPLE.channels.proLounge).map((m) => m.id)).toEqual([live.published_message_id]);
  });

  it('lets nobody review their own post, and nobody but moderators press the buttons', async () => {
    const { version, card } = await h.submitted(jules, { title: 'A moderator writes', body: BODY });
    expect((await h.click(jules, card, `post-review:${version.id}:approve`)).content).toBe("You don't have permission to do that. You cannot review your own post: another moderator decides.");
    expect((await h.click(ada, card, `post-review:${version.id}:approve`)).content).toBe("You don't have permission to do that. Only moderators (Manage Messages) review posts.");
  });
});
