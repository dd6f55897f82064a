import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, vi } from 'vitest';
import type { Clock } from '../../src/discord/command.ts';
import { SAMPLE, type RawMessage, type VisibleReply } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_POSTS } from '../../src/sandbox/community.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { componentsOf } from '../qa/ask-harness.ts';

/** /post and the review card as members and moderators use them in Discord. */

/** Generous: the machine is shared, and a slow reply is not what these tests are about. */
export const WAIT = 15_000;

export type PostFields = { title: string; body: string; link?: string; kind?: string };

export interface PostsRig extends BotRig {
  dir: string;
}

/** The real bot with member posts on (content channel, the sandbox's content file unless overridden). */
export async function startPostsRig(opts: { clock: Clock; content?: unknown }): Promise<PostsRig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-posts-'));
  const contentFile = path.join(dir, 'content.json');
  writeFileSync(contentFile, JSON.stringify(opts.content ?? SANDBOX_POSTS));
  // No daily cap on approvals here, so each test sees the full amount; caps are the reputation tests' job.
  const reputationFile = path.join(dir, 'reputation.json');
  writeFileSync(reputationFile, JSON.stringify({ dailyCaps: { post_approved: null } }));
  const rig = await startBotRig({ clock: opts.clock, env: { CONTENT_CHANNEL_ID: SAMPLE.channels.content, CONTENT_FILE: contentFile, REPUTATION_FILE: reputationFile } });
  return {
    ...rig,
    dir,
    async stop() {
      try {
        await rig.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function postHarness(rig: () => BotRig) {
  const discord = () => rig().discord;

  /** /post new, the form, then the audience menu; returns what the member sees last. */
  const submitForm = async (userId: string, fields: PostFields): Promise<VisibleReply> => {
    const modal = await discord().runCommand({ userId, name: 'post', options: { new: {} } }).visibleReply(WAIT);
    expect(modal.kind, `expected the form, got: ${modal.content}`).toBe('modal');
    return discord().submitModal({ userId, customId: 'post-new', fields: { link: '', kind: ['article'], ...fields, ...(fields.kind ? { kind: [fields.kind] } : {}) } }).visibleReply(WAIT);
  };

  /** Picks the audience in the menu the form's reply showed. */
  const selectMenuOf = (userId: string, menu: VisibleReply, audience: string): Promise<VisibleReply> => {
    const select = componentsOf(menu).find((c) => c.type === 3);
    expect(select, `no audience menu in: ${menu.content}`).toBeDefined();
    return discord().selectMenu({ userId, message: String(menu.data.id), customId: select!.custom_id!, values: [audience] }).visibleReply(WAIT);
  };

  const write = async (userId: string, fields: PostFields, audience = 'all'): Promise<VisibleReply> => selectMenuOf(userId, await submitForm(userId, fields), audience);


  /** The review card of a version, once the outbox delivered it (the newest when there are several). */
  const card = (versionId: number, timeoutMs = WAIT): Promise<RawMessage> =>
    discord().waitFor(() => discord().state.messagesIn(SAMPLE.channels.mods).filter((m) => JSON.stringify(m.components).includes(`"post-review:${versionId}:approve"`)).at(-1), timeoutMs);

  const click = (userId: string, message: RawMessage, customId: string) => discord().clickButton({ userId, message: message.id, customId }).visibleReply(WAIT);

  /** Reject… or Request changes… (or Reverse…): the button, then the reason modal. */
  const withReason = async (userId: string, message: RawMessage, customId: string, reason: string): Promise<VisibleReply> => {
    const modal = await click(userId, message, customId);
    expect(modal.kind, `expected the reason form, got: ${modal.content}`).toBe('modal');
    return discord().submitModal({ userId, customId: String(modal.data.custom_id), fields: { reason }, message: message.id }).visibleReply(WAIT);
  };

  const dms = (userId: string): RawMessage[] => discord().state.messagesIn(discord().dmChannelId(userId));
  const dm = (userId: string, match: string) => discord().waitFor(() => dms(userId).find((m) => m.content.includes(match)), WAIT);

  /** A post written and waiting: its rows and its review card. */
  const submitted = async (userId: string, fields: PostFields, audience = 'all') => {
    await write(userId, fields, audience);
    const db = rig().app.db;
    const post = await db.selectFrom('posts').selectAll().where('author_id', '=', userId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const version = await db.selectFrom('post_versions').selectAll().where('id', '=', post.review_version_id!).executeTakeFirstOrThrow();
    return { post, version, card: await card(version.id) };
  };

  /** The post once its Discord message is there (the decision's handler posts it right after answering). */
  const published = (postId: number) =>
    vi.waitFor(async () => {
      const post = await rig().app.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow();
      expect(post).toMatchObject({ state: 'published', sync_due: 0 });
      return { post, message: discord().state.findMessage(post.published_message_id!)! };
    }, { timeout: WAIT });

  /** Waits until the post's Discord side caught up with its state (sync_due cleared). */
  const synced = (postId: number) =>
    vi.waitFor(async () => {
      const post = await rig().app.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow();
      expect(post.sync_due).toBe(0);
      return post;
    }, { timeout: WAIT });

  return { submitted, published, synced, submitForm, selectMenuOf, write, card, click, withReason, dms, dm };
}
