import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { creditPoints, pointsOf } from '../../src/qa/points.ts';
import { syncDuePosts } from '../../src/posts/post-publish.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { componentsOf, grant, member } from '../qa/ask-harness.ts';
import { postHarness, startPostsRig, WAIT, type PostsRig } from './post-harness.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12);
let now = T0;
const clock = { now: () => now };
const { mo, jules } = SAMPLE.users;
const BODY = 'Profiling a slow Node service: flame graphs, the event loop, and what to fix first.';

type Embed = { title: string; description: string; author?: { name: string }; fields: { name: string; value: string }[] };

describe('published posts: edits, unpublishing, reversals, leavers, restarts', () => {
  let rig: PostsRig;
  const h = postHarness(() => rig);
  const db = () => rig.app.db;
  const ledger = (memberId: string) => db().selectFrom('points').select(['amount', 'source', 'ref']).where('member_id', '=', memberId).orderBy('id').execute();
  const inContent = () => rig.discord.state.messagesIn(SAMPLE.channels.content);

  beforeAll(async () => {
    rig = await startPostsRig({ clock });
    for (const n of [1, 2, 3, 4, 5, 6]) {
      await rig.discord.addMember(member(n));
      await grant(db(), member(n).id, 'Supporter');
    }
  });
  afterAll(() => rig.stop());

  const approved = async (userId: string, title: string) => {
    const s = await h.submitted(userId, { title, body: BODY });
    await h.click(mo, s.card, `post-review:${s.version.id}:approve`);
    return { ...s, ...(await h.published(s.post.id)) };
  };

  it('keeps the published version while an edit is reviewed, then edits the message in place without new points', async () => {
    const author = member(1).id;
    const { post, message } = await approved(author, 'Profiling Node');
    const edit = await rig.discord.runCommand({ userId: author, name: 'post', options: { edit: { post: post.id } } }).visibleReply(WAIT);
    expect(edit).toMatchObject({ kind: 'modal', data: { custom_id: `post-edit-form:${post.id}` } });
    const queued = await rig.discord.submitModal({ userId: author, customId: `post-edit-form:${post.id}`, fields: { title: 'Profiling Node, revised', body: BODY, link: '', kind: ['article'] } }).visibleReply(WAIT);
    expect(queued.content).toContain(`Your edit of post #${post.id} is waiting for review. The published version stays in <#${SAMPLE.channels.content}>`);
    const row = await db().selectFrom('posts').selectAll().where('id', '=', post.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'published', title: 'Profiling Node', published_message_id: message.id });
    const card = await h.card(row.review_version_id!);
    expect((card.embeds[0] as Embed).fields).toContainEqual({ name: 'Edit', value: 'Version 2 of a published post: the published version stays until this one is approved.' });

    await h.click(jules, card, `post-review:${row.review_version_id}:approve`);
    const after = await h.synced(post.id);
    expect(after).toMatchObject({ state: 'published', title: 'Profiling Node, revised', published_message_id: message.id, published_version_id: row.review_version_id });
    expect((rig.discord.state.findMessage(message.id)!.embeds[0] as Embed).title).toBe('Profiling Node, revised');
    expect(inContent().filter((m) => JSON.stringify(m.embeds).includes('Profiling Node'))).toHaveLength(1);
    expect(await pointsOf(db(), author)).toBe(15);
    expect((await h.dm(author, 'Your edit of')).content).toContain('was approved: the published post now shows it');
  });

  it('unpublishes at the author\'s request, deleting the message and reversing approval and rating points', async () => {
    const author = member(2).id;
    const { post, message } = await approved(author, 'Temporary post');
    await creditPoints(db(), { memberId: author, amount: 3, source: 'rating', ref: `post:${post.id}:rating:${member(3).id}:1`, at: now });
    expect(await pointsOf(db(), author)).toBe(18);
    now = T0 + 3 * H;
    const reply = await rig.discord.runCommand({ userId: author, name: 'post', options: { unpublish: { post: post.id } } }).visibleReply(WAIT);
    expect(reply.content).toBe(`🗑️ Post #${post.id} “Temporary post” is unpublished: its message is being removed. The points it earned (approval and ratings) were taken back.`);
    const row = await h.synced(post.id);
    expect(row).toMatchObject({ state: 'unpublished', published_message_id: null, points_ref: null });
    expect(rig.discord.state.findMessage(message.id)).toBeUndefined();
    expect(await pointsOf(db(), author)).toBe(0);
    const approval = await db().selectFrom('post_decisions').select('id').where('post_id', '=', post.id).where('action', '=', 'approve').executeTakeFirstOrThrow();
    expect((await ledger(author)).filter((r) => r.amount < 0)).toEqual([
      { amount: -15, source: 'post_approved', ref: `post:${post.id}:approval:${approval.id}:reversed` },
      { amount: -3, source: 'rating', ref: `post:${post.id}:rating:${member(3).id}:1:reversed` },
    ]);
    // Only the author or a moderator can do it.
    const other = await rig.discord.runCommand({ userId: member(3).id, name: 'post', options: { unpublish: { post: post.id } } }).visibleReply(WAIT);
    expect(other.content).toBe("You don't have permission to do that. Only the author or a moderator can unpublish a post.");

    // The author took it down: the moderators cannot republish it against their wish.
    const view = await rig.discord.runCommand({ userId: jules, name: 'queue', options: { post: post.id } }).visibleReply(WAIT);
    expect(view.content).toContain(`🗑️ Unpublished by <@${author}>`);
    expect(view.components).toEqual([]);
  });

  it('unpublishes at a moderator\'s request, telling the author why; another moderator reverses it and it is published again', async () => {
    const author = member(6).id;
    const { post, message } = await approved(author, 'Outdated advice');
    const reply = await rig.discord.runCommand({ userId: mo, name: 'post', options: { unpublish: { post: post.id, reason: 'This advice is outdated.' } } }).visibleReply(WAIT);
    expect(reply.content).toContain('Its author was told, and the points it earned were taken back.');
    expect((await h.dm(author, 'unpublished by the moderators')).content).toBe(`🗑️ Your post “Outdated advice” (post #${post.id}) was unpublished by the moderators.\n> This advice is outdated.`);
    await h.synced(post.id);
    expect(await pointsOf(db(), author)).toBe(0);

    const view = await rig.discord.runCommand({ userId: jules, name: 'queue', options: { post: post.id } }).visibleReply(WAIT);
    const [reverse] = componentsOf(view);
    expect(reverse!.label).toBe('Reverse: Unpublished…');
    const modal = await rig.discord.clickButton({ userId: jules, message: String(view.data.id), customId: reverse!.custom_id! }).visibleReply(WAIT);
    const done = await rig.discord.submitModal({ userId: jules, customId: String(modal.data.custom_id), fields: { reason: 'Still accurate, checked.' }, message: String(view.data.id) }).visibleReply(WAIT);
    expect(done.content).toContain('↩️ Reversed. The post is published again.');
    const { post: again } = await h.published(post.id);
    expect(again.published_message_id).not.toBe(message.id);
    expect(await pointsOf(db(), author)).toBe(15);
    const decisions = await db().selectFrom('post_decisions').select(['id', 'action', 'actor_id', 'reason', 'reverses_id', 'reversed_by_id']).where('post_id', '=', post.id).orderBy('id').execute();
    expect(decisions.map((d) => [d.action, d.actor_id, d.reason])).toEqual([['approve', mo, null], ['unpublish', mo, 'This advice is outdated.'], ['reverse', jules, 'Still accurate, checked.']]);
    expect(decisions[1]!.reversed_by_id).toBe(decisions[2]!.id);
    expect(decisions[2]!.reverses_id).toBe(decisions[1]!.id);
  });

  it('reverses an approval from its card: the post comes down, its points go, and it is back in the queue', async () => {
    const author = member(3).id;
    const { post, version, card, message } = await approved(author, 'Approved by mistake');
    const decided = rig.discord.state.findMessage(card.id)!;
    const reverse = componentsOf({ components: decided.components } as never).find((c) => c.label === 'Reverse…')!;
    const reply = await h.withReason(jules, decided, reverse.custom_id!, 'Plagiarised from a blog.');
    expect(reply.content).toMatch(new RegExp(`^✅ Approved by <@${mo}> .*\\n↩️ \\*\\*Reversed\\*\\* by <@${jules}> .*: Plagiarised from a blog\\.\\nThe version is back in the queue: a new card was posted\\.$`));
    expect(componentsOf(reply).every((c) => (c as { disabled?: boolean }).disabled)).toBe(true);
    const row = await h.synced(post.id);
    expect(row).toMatchObject({ state: 'pending', review_version_id: version.id, published_message_id: null });
    expect(rig.discord.state.findMessage(message.id)).toBeUndefined();
    expect(await pointsOf(db(), author)).toBe(0);
    const fresh = await rig.discord.waitFor(() => rig.discord.state.messagesIn(SAMPLE.channels.mods).filter((m) => JSON.stringify(m.components).includes(`post-review:${version.id}:approve`)).find((m) => m.id !== card.id), WAIT);
    expect(fresh.content).toBe(`📝 **Waiting for review**\nBack in the queue: the earlier decision was reversed by <@${jules}>.`);
    expect((await h.dm(author, 'reversed an earlier decision')).content).toContain('it is back in the review queue.\n> Plagiarised from a blog.');
    // Approved again later: it earns the points again, under a fresh ref.
    await h.click(mo, fresh, `post-review:${version.id}:approve`);
    await h.published(post.id);
    expect(await pointsOf(db(), author)).toBe(15);
  });

  it('reviews and publishes the post of an author who left, crediting them by id; the DM waits as a notice', async () => {
    const leaver = member(4);
    const { post, version, card } = await h.submitted(leaver.id, { title: 'Written before leaving', body: BODY });
    await rig.discord.removeMember(leaver.id);
    rig.discord.setDmsClosed(leaver.id, true);
    await h.click(mo, card, `post-review:${version.id}:approve`);
    const { message } = await h.published(post.id);
    const embed = message.embeds[0] as Embed;
    expect(embed.author).toEqual({ name: 'Asker 4' });
    expect(embed.fields).toContainEqual({ name: 'By', value: `<@${leaver.id}>`, inline: true });
    const notice = await vi.waitFor(async () => {
      const n = await db().selectFrom('member_notices').selectAll().where('user_id', '=', leaver.id).executeTakeFirst();
      expect(n).toBeDefined();
      return n!;
    }, { timeout: WAIT });
    expect(notice.body).toContain('was approved and is published');
  });

  it('republishes a message deleted by hand when the job finds the post out of date', async () => {
    const { post, message } = await approved(member(5).id, 'Deleted by hand');
    rig.discord.state.deleteMessage(SAMPLE.channels.content, message.id);
    await db().updateTable('posts').set({ sync_due: 1 }).where('id', '=', post.id).execute();
    const ports = { db: db(), rest: rig.app.client.rest, setup: rig.app.deps.posts!, clock, logger: rig.logs.logger };
    expect(await syncDuePosts(ports)).toMatchObject({ posted: 1, failed: 0 });
    const row = await h.synced(post.id);
    expect(row.published_message_id).not.toBe(message.id);
    expect(rig.discord.state.findMessage(row.published_message_id!)).toBeDefined();
    expect(await syncDuePosts(ports)).toMatchObject({ posted: 0, edited: 0, deleted: 0 });
  });

  // Last: it replaces the rig's app with a second one over the same database and the same Discord.
  it('keeps the review buttons working after a restart', async () => {
    const author = member(5).id;
    const { post, version, card } = await h.submitted(author, { title: 'Submitted before a restart', body: BODY });
    await rig.app.stop();
    const app = await createApp(rig.config, { logger: rig.logs.logger, clock });
    await app.start();
    try {
      const reply = await h.withReason(jules, card, `post-review:${version.id}:changes`, 'Shorter intro, please.');
      expect(reply.content).toMatch(/^✏️ Changes requested by/);
      expect(await app.db.selectFrom('posts').select('state').where('id', '=', post.id).executeTakeFirst()).toEqual({ state: 'changes_requested' });
    } finally {
      await app.stop();
    }
  });
});
