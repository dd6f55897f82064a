// Kysely queries for posts, their versions and the decisions on them. `db` may be a transaction.
import type { Selectable } from 'kysely';
import type { DecisionAction, PostDecisionsTable, PostsTable, PostVersionsTable } from '../db/schema-posts.ts';
import { UserError } from '../discord/user-error.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import type { PostText } from './post-modal.ts';
import type { Outcome, PostFacts } from './post-state.ts';

export type PostRow = Selectable<PostsTable>;
export type VersionRow = Selectable<PostVersionsTable>;
export type DecisionRow = Selectable<PostDecisionsTable>;

export function factsOf(post: PostRow, review: VersionRow | undefined): PostFacts {
  const status = review?.status;
  return {
    state: post.state,
    review: review && (status === 'pending' || status === 'changes_requested') ? { versionId: review.id, status } : null,
    publishedVersionId: post.published_version_id,
    hasPoints: post.points_ref !== null,
  };
}

export const findPost = (db: DbOrTrx, id: number) => db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
export const findVersion = (db: DbOrTrx, id: number) => db.selectFrom('post_versions').selectAll().where('id', '=', id).executeTakeFirst();
export const findDecision = (db: DbOrTrx, id: number) => db.selectFrom('post_decisions').selectAll().where('id', '=', id).executeTakeFirst();

/** The post and its version under review (if any), or not_found. */
export async function loadPost(db: DbOrTrx, id: number): Promise<{ post: PostRow; review: VersionRow | undefined }> {
  const post = await findPost(db, id);
  if (!post) throw new UserError('not_found', `There is no post #${id}. /post mine lists yours.`);
  const review = post.review_version_id === null ? undefined : await findVersion(db, post.review_version_id);
  return { post, review };
}

export async function latestVersion(db: DbOrTrx, postId: number): Promise<VersionRow> {
  return db.selectFrom('post_versions').selectAll().where('post_id', '=', postId).orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
}

export async function createPost(trx: DbOrTrx, input: { authorId: string; authorName: string; text: PostText; audienceTier: string | null; now: number }): Promise<{ post: PostRow; version: VersionRow }> {
  const { text, now } = input;
  const post = await trx
    .insertInto('posts')
    .values({
      author_id: input.authorId, author_name: input.authorName, kind: text.kind, title: text.title, audience_tier: input.audienceTier, state: 'pending',
      created_at: now, updated_at: now, published_at: null, published_channel_id: null, published_message_id: null,
      review_version_id: null, published_version_id: null, points_ref: null, synced_version_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const version = await insertVersion(trx, post, 1, text, now);
  const updated = await trx.updateTable('posts').set({ review_version_id: version.id }).where('id', '=', post.id).returningAll().executeTakeFirstOrThrow();
  return { post: updated, version };
}

export async function insertVersion(trx: DbOrTrx, post: Pick<PostRow, 'id' | 'author_id'>, number: number, text: PostText, now: number): Promise<VersionRow> {
  return trx
    .insertInto('post_versions')
    .values({ post_id: post.id, author_id: post.author_id, number, title: text.title, body: text.body, link: text.link, kind: text.kind, status: 'pending', submitted_at: now, decided_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Writes an outcome over the revision it was computed from. Zero rows means another decision got
 * there first (SQLite serialises transactions, so this is the last line of defence, not the first).
 */
export async function writeOutcome(trx: DbOrTrx, post: PostRow, outcome: Outcome, extra: Partial<Omit<PostRow, 'id'>>, now: number): Promise<PostRow> {
  const visibleChanged = outcome.state !== post.state || outcome.publishedVersionId !== post.published_version_id;
  const updated = await trx
    .updateTable('posts')
    .set({
      state: outcome.state, review_version_id: outcome.review?.versionId ?? null, published_version_id: outcome.publishedVersionId,
      revision: post.revision + 1, updated_at: now, ...(visibleChanged ? { sync_due: 1 } : {}), ...extra,
    })
    .where('id', '=', post.id)
    .where('revision', '=', post.revision)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new UserError('conflict', 'Someone changed this post at the same moment. Look again and retry if it still needs doing.');
  for (const [id, status] of outcome.versions) {
    const decided = status === 'approved' || status === 'rejected' || status === 'changes_requested';
    await trx.updateTable('post_versions').set({ status, decided_at: decided ? now : null }).where('id', '=', id).where('post_id', '=', post.id).execute();
  }
  return updated;
}

export async function insertDecision(trx: DbOrTrx, d: { postId: number; versionId: number; actorId: string; action: DecisionAction; reason: string | null; at: number; reversesId?: number }): Promise<DecisionRow> {
  const row = await trx
    .insertInto('post_decisions')
    .values({ post_id: d.postId, version_id: d.versionId, actor_id: d.actorId, action: d.action, reason: d.reason, at: d.at, reverses_id: d.reversesId ?? null, reversed_by_id: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (d.reversesId !== undefined) await trx.updateTable('post_decisions').set({ reversed_by_id: row.id }).where('id', '=', d.reversesId).execute();
  return row;
}

export const latestDecision = (db: DbOrTrx, postId: number) =>
  db.selectFrom('post_decisions').selectAll().where('post_id', '=', postId).orderBy('id', 'desc').limit(1).executeTakeFirst();

/** The decision that last settled a version (what the loser of a race is told). */
export const lastDecisionOn = (db: DbOrTrx, versionId: number) =>
  db.selectFrom('post_decisions').selectAll().where('version_id', '=', versionId).where('action', '!=', 'reverse').orderBy('id', 'desc').limit(1).executeTakeFirst();

export const decisionsOf = (db: DbOrTrx, postId: number) => db.selectFrom('post_decisions').selectAll().where('post_id', '=', postId).orderBy('id').execute();

/** 1-based place in the queue (oldest pending first). */
export async function queuePosition(db: DbOrTrx, version: Pick<VersionRow, 'id' | 'submitted_at'>): Promise<number> {
  const row = await db
    .selectFrom('post_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('submitted_at', '<', version.submitted_at), eb.and([eb('submitted_at', '=', version.submitted_at), eb('id', '<=', version.id)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface PendingEntry {
  post: Pick<PostRow, 'id' | 'author_id' | 'state' | 'audience_tier'>;
  version: Pick<VersionRow, 'id' | 'number' | 'title' | 'kind' | 'submitted_at'>;
}

export async function pendingQueue(db: DbOrTrx, limit: number): Promise<{ entries: PendingEntry[]; total: number }> {
  const rows = await db
    .selectFrom('post_versions as v')
    .innerJoin('posts as p', 'p.id', 'v.post_id')
    .select(['p.id as post_id', 'p.author_id', 'p.state', 'p.audience_tier', 'v.id', 'v.number', 'v.title', 'v.kind', 'v.submitted_at'])
    .where('v.status', '=', 'pending')
    .orderBy('v.submitted_at')
    .orderBy('v.id')
    .limit(limit)
    .execute();
  const total = await db.selectFrom('post_versions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return {
    entries: rows.map((r) => ({ post: { id: r.post_id, author_id: r.author_id, state: r.state, audience_tier: r.audience_tier }, version: { id: r.id, number: r.number, title: r.title, kind: r.kind, submitted_at: r.submitted_at } })),
    total: Number(total.n),
  };
}

/** For the review card: how the author's other posts went. */
export async function authorHistory(db: DbOrTrx, authorId: string, exceptPostId: number): Promise<{ published: number; rejected: number; unpublished: number; total: number }> {
  const rows = await db.selectFrom('posts').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('author_id', '=', authorId).where('id', '!=', exceptPostId).groupBy('state').execute();
  const count = (...states: string[]) => rows.filter((r) => states.includes(r.state)).reduce((sum, r) => sum + Number(r.n), 0);
  return { published: count('published', 'approved'), rejected: count('rejected'), unpublished: count('unpublished'), total: rows.reduce((sum, r) => sum + Number(r.n), 0) };
}
