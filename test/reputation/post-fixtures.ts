// Published posts written straight into the posts table (the posts feature's columns), for tests
// that exercise ratings, readers and ranking without going through review.
import type { Db } from '../../src/db/database.ts';
import type { PostKind } from '../../src/db/schema-posts.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';

export interface PostInput {
  authorId: string;
  title?: string;
  kind?: PostKind;
  state?: 'published' | 'pending' | 'unpublished';
  publishedAt?: number;
  audienceTier?: string | null;
  messageId?: string | null;
  channelId?: string;
}

let made = 0;

export async function insertPost(db: Db, input: PostInput): Promise<number> {
  const n = ++made;
  const at = input.publishedAt ?? Date.now();
  const state = input.state ?? 'published';
  const row = await db
    .insertInto('posts')
    .values({
      author_id: input.authorId,
      author_name: 'author',
      kind: input.kind ?? 'article',
      title: input.title ?? `Post ${n}`,
      audience_tier: input.audienceTier ?? null,
      state,
      created_at: at - 3_600_000,
      updated_at: at,
      published_at: state === 'pending' ? null : at,
      published_channel_id: state === 'pending' ? null : (input.channelId ?? SAMPLE.channels.content),
      published_message_id: input.messageId === undefined ? String(1_390_000_000_000_000_000n + BigInt(n) + BigInt(process.pid) * 1000n) : input.messageId,
      review_version_id: null,
      published_version_id: null,
      points_ref: null,
      synced_version_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const setPostState = (db: Db, id: number, state: 'published' | 'unpublished', at = Date.now()) =>
  db.updateTable('posts').set({ state, updated_at: at }).where('id', '=', id).execute();

/** A Discord id whose snowflake says the account was created at `at`. */
export const userCreatedAt = (at: number, salt = 0): string => String(((BigInt(at) - 1_420_070_400_000n) << 22n) + BigInt(salt));
