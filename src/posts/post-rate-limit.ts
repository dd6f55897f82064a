import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { UserError } from '../discord/user-error.ts';
import type { PostsSetup } from './posts-config.ts';

const HOUR = 3_600_000;

/**
 * Pure: given the times of the member's submissions inside the window (oldest first), when they may
 * submit again, or null when they may now. The submission at `count - limit` frees the next slot.
 */
export function nextSubmitAt(inWindow: readonly number[], rate: PostsSetup['rateLimit']): number | null {
  if (inWindow.length < rate.posts) return null;
  return inWindow[inWindow.length - rate.posts]! + rate.perHours * HOUR;
}

/**
 * Throws rate_limited when the member submitted `posts` versions (new posts and edits) in the last
 * `perHours`. Run it in the transaction that inserts the version, so two submissions at once
 * cannot both slip under the limit (SQLite runs one write transaction at a time).
 */
export async function checkPostRate(db: Kysely<Database>, authorId: string, rate: PostsSetup['rateLimit'], now: number): Promise<void> {
  const rows = await db
    .selectFrom('post_versions')
    .select('submitted_at')
    .where('author_id', '=', authorId)
    .where('submitted_at', '>', now - rate.perHours * HOUR)
    .orderBy('submitted_at', 'asc')
    .execute();
  const at = nextSubmitAt(rows.map((r) => r.submitted_at), rate);
  if (at !== null) {
    const limit = `${rate.posts} submission${rate.posts === 1 ? '' : 's'} (new posts and edits) per ${rate.perHours} h`;
    throw new UserError('rate_limited', `The limit is ${limit}. You can submit again <t:${Math.ceil(at / 1000)}:R>.`);
  }
}
