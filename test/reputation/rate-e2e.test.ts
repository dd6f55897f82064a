import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { creditPoints, pointsOf } from '../../src/qa/points.ts';
import { applyLevels } from '../../src/reputation/levels-job.ts';
import { listenForPostReactions } from '../../src/reputation/post-reactions.ts';
import { ratingRow } from '../../src/reputation/rate-button.ts';
import { SANDBOX_REPUTATION } from '../../src/sandbox/community.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { fieldsOf } from '../membership/commands-fixtures.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { insertPost, userCreatedAt } from './post-fixtures.ts';

const { ada, brian, grace, tess, mo } = SAMPLE.users;
const content = SAMPLE.channels.content;

describe('rating buttons, /rank and /top through the real bot', () => {
  let rig: BotRig;
  let dir: string;
  const activity: ActivityInput[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'guildhall-reputation-'));
    const reputationFile = path.join(dir, 'reputation.json');
    writeFileSync(reputationFile, JSON.stringify(SANDBOX_REPUTATION));
    rig = await startBotRig({ background: false, env: { CONTENT_CHANNEL_ID: content, REPUTATION_FILE: reputationFile } });
    rig.app.deps.activity = { record: (e) => void activity.push(e) };
    listenForPostReactions(rig.app.client, rig.app.deps);
    // grace is a sample user who has not joined the sample guild yet.
    if (!rig.discord.state.member(grace)) await rig.discord.addMember({ id: grace, username: 'grace', globalName: 'Grace' });
  });
  afterAll(async () => {
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A published post as the posts feature leaves it: a row, and the bot's message with the rating row. */
  async function publish(authorId: string, title: string, opts: { audienceTier?: string } = {}) {
    const id = await insertPost(rig.app.db, { authorId, title, messageId: null, audienceTier: opts.audienceTier ?? null });
    const message = (await rig.app.client.rest.post(Routes.channelMessages(content), {
      body: { embeds: [{ title, description: 'Body' }], components: [ratingRow(id)], allowed_mentions: { parse: [] } },
    })) as { id: string };
    await rig.app.db.updateTable('posts').set({ published_message_id: message.id }).where('id', '=', id).execute();
    return { id, messageId: message.id };
  }
  const click = (userId: string, post: { id: number; messageId: string }, stars: number) =>
    rig.discord.clickButton({ userId, message: post.messageId, customId: `rate:${post.id}:${stars}` }).visibleReply();

  it('a member rates, changes the rating, and the author’s points follow; replies are private and ping nobody', async () => {
    const post = await publish(ada, 'Narrowing unions in practice');
    const first = await click(brian, post, 4);
    expect(first).toMatchObject({ ephemeral: true, content: 'You rated 4★. Thanks: ratings decide what /top shows.' });
    expect(await pointsOf(rig.app.db, ada)).toBe(2);
    const changed = await click(brian, post, 5);
    expect(changed.content).toBe('You rated 5★ (was 4★). Thanks: ratings decide what /top shows.');
    expect(await pointsOf(rig.app.db, ada)).toBe(3);
    expect((await click(brian, post, 5)).content).toBe('You already rated this post 5★. Pick another number to change it.');
    expect(activity.filter((a) => a.kind === 'rating')).toEqual([
      expect.objectContaining({ userId: brian, kind: 'rating', ref: `post:${post.id}`, channelId: content }),
      expect.objectContaining({ userId: brian, kind: 'rating', ref: `post:${post.id}` }),
    ]);
    // The post message itself is untouched: a rating is private.
    expect(rig.discord.requests.filter((r) => r.method === 'PATCH' && r.path.includes(post.messageId))).toEqual([]);
  });

  it('refuses the author’s own rating and unpublished posts; a brand-new account rates without earning points', async () => {
    const post = await publish(tess, 'Exhaustive switches');
    expect((await click(tess, post, 5)).content).toBe("You don't have permission to do that. You cannot rate your own post, and it earns you no points.");
    const newcomer = { id: userCreatedAt(Date.now() - 2 * 86_400_000), username: 'newcomer' };
    await rig.discord.addMember(newcomer);
    const seen = await click(newcomer.id, post, 5);
    expect(seen.content).toContain('Your Discord account is less than 7 days old, so the author gets no points for it.');
    expect(await pointsOf(rig.app.db, tess)).toBe(0);
    await rig.app.db.updateTable('posts').set({ state: 'unpublished' }).where('id', '=', post.id).execute();
    expect((await click(grace, post, 5)).content).toBe("I couldn't find that. That post is not published (any more), so it cannot be rated.");
  });

  it('a reaction on the published message makes a reader (once); bots and the author do not count', async () => {
    const post = await publish(grace, 'Reading list');
    await rig.discord.addReaction({ channelId: content, messageId: post.messageId, userId: brian, emoji: '👍' });
    await rig.discord.addReaction({ channelId: content, messageId: post.messageId, userId: brian, emoji: '🎉' });
    await rig.discord.addReaction({ channelId: content, messageId: post.messageId, userId: grace, emoji: '👍' });
    await rig.discord.addReaction({ channelId: content, messageId: post.messageId, userId: mo, emoji: '👍' });
    const readers = () => rig.app.db.selectFrom('post_readers').select(['member_id', 'via']).where('post_id', '=', post.id).orderBy('member_id').execute();
    await rig.discord.waitFor(async () => (await readers()).length === 2);
    await new Promise((r) => setTimeout(r, 100)); // a late duplicate would show now
    expect(await readers()).toEqual([{ member_id: brian, via: 'reaction' }, { member_id: mo, via: 'reaction' }]);
  });

  it('/top lists published posts privately, best first, hiding tier-only posts from members below the tier', async () => {
    const paid = await publish(brian, 'Pro-only deep dive', { audienceTier: 'Pro' });
    await click(ada, paid, 5);
    const seen = await rig.discord.runCommand({ userId: grace, name: 'top', options: { period: 'week' } }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    const description = (seen.embeds[0] as { description: string }).description;
    expect(description).toContain('[Narrowing unions in practice](https://discord.com/channels/');
    expect(description).toContain('Reading list');
    expect(description).not.toContain('Exhaustive switches'); // unpublished
    expect(description).not.toContain('Pro-only');
    const mods = await rig.discord.runCommand({ userId: mo, name: 'top', options: { period: 'all', kind: 'article' } }).visibleReply();
    expect((mods.embeds[0] as { description: string }).description).toContain('Pro-only deep dive');
    const callback = rig.discord.requests.filter((r) => r.path.includes('/callback')).at(-1)!.body as { data: { allowed_mentions: unknown } };
    expect(callback.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/rank shows points, level and sources; the levels job hands out the reward role through the outbox', async () => {
    await creditPoints(rig.app.db, { memberId: ada, amount: 10, source: 'qa_solution', ref: 'test:ada:1', at: Date.now() });
    const seen = await rig.discord.runCommand({ userId: brian, name: 'rank', options: { member: ada } }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    const fields = fieldsOf(seen.embeds[0]);
    expect((seen.embeds[0] as { description: string }).description).toBe(`<@${ada}> has **13** points.`);
    // Level 1 needs 10 points, level 2 needs 28 (sandbox curve: 10 · n^1.5).
    expect(fields.Level).toMatch(/^\*\*1\*\* · 3 of 18 points to level 2 /);
    expect(fields['By source']).toBe('Q&A solutions: 10\nApproved posts: 0\nRatings received: 3\nChallenges: 0');
    expect(fields['Last 30 days']).toMatch(/^\+13 ▲ \(the 30 before: 0\)/);
    expect(fields['Next reward']).toBe(`<@&${SAMPLE.roles.veteran}> at level 5: 99 points to go`);

    await applyLevels(rig.app.deps);
    await rig.app.membership.outbox.drain();
    expect(rig.discord.state.member(ada)?.roles).toContain(SAMPLE.roles.contributor);
    expect(rig.discord.state.member(brian)?.roles ?? []).not.toContain(SAMPLE.roles.contributor);

    const bot = await rig.discord.runCommand({ userId: brian, name: 'rank', options: { member: SAMPLE.applicationId } }).visibleReply();
    expect(bot.content).toBe("That input didn't work. Bots do not earn reputation: pick a member.");
  });
});
