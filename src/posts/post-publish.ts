// Makes the Discord message of a post match its state: post it (approved), edit it (an approved
// edit), or delete it (unpublished, or an approval reversed). Decisions only set posts.sync_due in
// their transaction; this runs right after them and from a job (every minute), so a crash or a
// Discord outage in between loses nothing:
// - a new message carries a nonce per (post, publication) with enforce_nonce, so a retry within
//   Discord's nonce window returns the message already posted instead of posting twice;
// - editing and deleting are idempotent (a message already gone counts as deleted);
// - the message id is recorded whatever happened meanwhile, and sync_due is cleared only when no
//   decision changed the post during the call (its revision), else the next run catches up.
import { DiscordAPIError, Routes, type APIMessage } from 'discord.js';
import { DiscordCode } from '../membership/outbox-errors.ts';
import { channelFor, publishedMessage } from './post-messages.ts';
import type { PostPorts } from './post-ports.ts';
import { VISIBLE } from './post-state.ts';
import { findVersion, type PostRow } from './posts-repo.ts';

export type SyncResult = 'posted' | 'edited' | 'deleted' | 'none';
type SyncPorts = Pick<PostPorts, 'db' | 'rest' | 'setup' | 'clock' | 'logger'>;

const UNKNOWN_MESSAGE = 10008;

/** At most 25 characters, as Discord requires; created_at keeps it unique if the database is recreated. */
export const publishNonce = (post: Pick<PostRow, 'id' | 'publish_seq' | 'created_at'>) => `gp${post.id.toString(36)}.${post.publish_seq.toString(36)}.${post.created_at.toString(36)}`;

const gone = (error: unknown) => error instanceof DiscordAPIError && (error.code === UNKNOWN_MESSAGE || error.code === DiscordCode.UnknownChannel);

export async function syncPost(ports: SyncPorts, postId: number): Promise<SyncResult> {
  const post = await ports.db.selectFrom('posts').selectAll().where('id', '=', postId).where('sync_due', '=', 1).executeTakeFirst();
  if (!post) return 'none';
  const log = ports.logger.child({ postId, state: post.state, messageId: post.published_message_id });
  let result: SyncResult = 'none';
  if (VISIBLE.has(post.state) && post.published_version_id !== null) {
    const version = await findVersion(ports.db, post.published_version_id);
    if (!version) throw new Error(`post ${post.id} names published version ${post.published_version_id}, which does not exist`);
    const now = ports.clock.now();
    if (post.published_message_id !== null) {
      const body = publishedMessage(post, version, post.published_at ?? now);
      try {
        await ports.rest.patch(Routes.channelMessage(post.published_channel_id!, post.published_message_id), { body });
        result = 'edited';
      } catch (error) {
        if (!gone(error)) throw error;
        // Someone deleted the message by hand: forget it and post a fresh one (next nonce).
        log.warn('the published message is gone from Discord; posting it again');
        await ports.db.updateTable('posts').set((eb) => ({ published_message_id: null, published_channel_id: null, publish_seq: eb('publish_seq', '+', 1) }))
          .where('id', '=', post.id).where('published_message_id', '=', post.published_message_id).execute();
        return syncPost(ports, postId);
      }
    } else {
      const channelId = channelFor(ports.setup, post.audience_tier);
      const body = { ...publishedMessage(post, version, now), nonce: publishNonce(post), enforce_nonce: true };
      const message = (await ports.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
      // Recorded whatever happened meanwhile: an unpublish during the call then deletes it next.
      await ports.db.updateTable('posts').set({ published_message_id: message.id, published_channel_id: channelId, published_at: now })
        .where('id', '=', post.id).where('published_message_id', 'is', null).execute();
      await ports.db.updateTable('posts').set({ state: 'published' }).where('id', '=', post.id).where('state', '=', 'approved').execute();
      log.info({ channelId, messageId: message.id }, 'post published');
      result = 'posted';
    }
    await done(ports, post, version.id);
  } else if (post.published_message_id !== null) {
    try {
      await ports.rest.delete(Routes.channelMessage(post.published_channel_id!, post.published_message_id));
    } catch (error) {
      if (!gone(error)) throw error;
    }
    await ports.db.updateTable('posts').set((eb) => ({ published_message_id: null, published_channel_id: null, publish_seq: eb('publish_seq', '+', 1) }))
      .where('id', '=', post.id).where('published_message_id', '=', post.published_message_id).execute();
    log.info('published message deleted');
    result = 'deleted';
    await done(ports, post, null);
  } else {
    await done(ports, post, null);
  }
  return result;
}

/** Clears sync_due only if no decision changed the post since it was read. */
async function done(ports: SyncPorts, post: PostRow, versionId: number | null): Promise<void> {
  await ports.db.updateTable('posts').set({ sync_due: 0, synced_version_id: versionId }).where('id', '=', post.id).where('revision', '=', post.revision).execute();
}

/** Right after a decision: a failure is logged and left for the job. */
export async function publishNow(ports: SyncPorts, postId: number): Promise<SyncResult | 'failed'> {
  try {
    return await syncPost(ports, postId);
  } catch (err) {
    ports.logger.warn({ err, postId }, 'posts: could not update the published message now; the posts-publish job retries');
    return 'failed';
  }
}

/** The job: every post whose message is out of date, oldest change first. */
export async function syncDuePosts(ports: SyncPorts): Promise<Record<SyncResult | 'failed', number>> {
  const due = await ports.db.selectFrom('posts').select('id').where('sync_due', '=', 1).orderBy('updated_at').limit(100).execute();
  const result = { posted: 0, edited: 0, deleted: 0, none: 0, failed: 0 };
  for (const { id } of due) result[await publishNow(ports, id)]++;
  return result;
}
