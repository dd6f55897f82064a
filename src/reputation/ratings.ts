// Ratings: one per member per post, changeable. The author earns points for ratings received
// (reputation.points.ratingReceived by stars), within the daily cap, never from themselves and
// never from brand-new accounts (a fresh account is the cheapest way to farm points).
import type { Db } from '../db/database.ts';
import { UserError } from '../discord/user-error.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import { reversePoints } from '../qa/points.ts';
import { awardPoints } from './award.ts';
import { DAY_MS } from './content-value.ts';
import type { ReputationSetup } from './reputation-config.ts';

export interface RatingDeps {
  db: Db;
  reputation: ReputationSetup;
  /** REPORT_TIMEZONE: daily caps count local days. */
  timeZone: string;
}

export interface RateInput {
  postId: number;
  raterId: string;
  stars: number;
  /** The click's own time (the interaction's snowflake). */
  at: number;
}

export type RateOutcome =
  | { kind: 'unchanged'; stars: number }
  | { kind: 'rated'; stars: number; previous: number | null; authorId: string; credited: number; newAccount: boolean };

/** When Discord created the account: the timestamp inside its snowflake id. */
export const accountCreatedAt = (userId: string): number => Number((BigInt(userId) >> 22n) + 1_420_070_400_000n);

/** The prefix of every points ref for ratings of one post (what unpublishing reverses). */
export const ratingRefPrefix = (postId: number): string => `post:${postId}:rating:`;

export async function ratePost(deps: RatingDeps, input: RateInput): Promise<RateOutcome> {
  const { postId, raterId, stars, at } = input;
  return deps.db.transaction().execute(async (trx) => {
    // Read inside the transaction: an unpublish that reversed this post's points has either
    // committed before (we refuse) or waits for us (its reversal then includes this credit).
    const post = await trx.selectFrom('posts').select(['id', 'author_id', 'state']).where('id', '=', postId).executeTakeFirst();
    if (!post) throw new UserError('not_found', 'That post no longer exists.');
    if (post.state !== 'published') throw new UserError('not_found', 'That post is not published (any more), so it cannot be rated.');
    if (post.author_id === raterId) throw new UserError('forbidden', 'You cannot rate your own post, and it earns you no points.');

    const before = await trx.selectFrom('ratings').select(['stars', 'revision', 'points_ref', 'created_at']).where('post_id', '=', postId).where('member_id', '=', raterId).executeTakeFirst();
    if (before?.stars === stars) return { kind: 'unchanged', stars } as const;

    // A changed rating moves the author's points: the old credit is reversed and the new one is
    // credited under a fresh ref (a reversed ref can never be credited again).
    if (before?.points_ref) await reversePoints(trx, 'rating', before.points_ref, at);
    const revision = before ? before.revision + 1 : 0;
    const newAccount = at - accountCreatedAt(raterId) < deps.reputation.minAccountAgeDays * DAY_MS;
    const amount = newAccount ? 0 : (deps.reputation.points.ratingReceived[String(stars) as '1'] ?? 0);
    const ref = `${ratingRefPrefix(postId)}${raterId}:${revision}`;
    const credited = amount > 0 ? await awardPoints(trx, deps.reputation, deps.timeZone, { memberId: post.author_id, amount, source: 'rating', ref, at }) : 0;

    const row = { stars, revision, points_ref: credited > 0 ? ref : null, updated_at: at };
    await trx
      .insertInto('ratings')
      .values({ post_id: postId, member_id: raterId, created_at: at, ...row })
      .onConflict((oc) => oc.columns(['post_id', 'member_id']).doUpdateSet(row))
      .execute();
    await addReader(trx, postId, raterId, 'rating', at);
    return { kind: 'rated', stars, previous: before?.stars ?? null, authorId: post.author_id, credited, newAccount } as const;
  });
}

async function addReader(trx: DbOrTrx, postId: number, memberId: string, via: 'rating' | 'reaction', at: number): Promise<void> {
  await trx.insertInto('post_readers').values({ post_id: postId, member_id: memberId, via, at }).onConflict((oc) => oc.doNothing()).execute();
}

export interface ReactionInput {
  messageId: string;
  userId: string;
  /** When it was seen: Discord's reaction event carries no timestamp of its own. */
  at: number;
  bot: boolean;
}

/**
 * A reaction on a published post's message makes the reacting member one of its readers (once).
 * Bots, the author, and messages that are not published posts are ignored.
 */
export async function recordPostReaction(deps: { db: Db }, input: ReactionInput): Promise<'recorded' | 'ignored'> {
  if (input.bot) return 'ignored';
  const post = await deps.db
    .selectFrom('posts')
    .select(['id', 'author_id'])
    .where('published_message_id', '=', input.messageId)
    .where('state', '=', 'published')
    .executeTakeFirst();
  if (!post || post.author_id === input.userId) return 'ignored';
  const result = await deps.db
    .insertInto('post_readers')
    .values({ post_id: post.id, member_id: input.userId, via: 'reaction', at: input.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'recorded' : 'ignored';
}
