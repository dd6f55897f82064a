import type { Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
// Member posts (issue 6): the post, every text version a member submitted, and every moderator decision.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('author_id', 'text', (c) => c.notNull())
    // Shown as the embed's author; kept so a post still credits a member who left the server.
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // article | tutorial | code | career | other
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('audience_tier', 'text') // null = all members
    // pending | changes_requested | rejected | approved (decided, not on Discord yet) | published (visible now) | unpublished
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'integer')
    .addColumn('published_channel_id', 'text')
    .addColumn('published_message_id', 'text', (c) => c.unique())
    // Bumped by every change of state: a decision writes only over the revision it read.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    // The version a moderator (pending) or the author (changes_requested) must act on next.
    .addColumn('review_version_id', 'integer')
    // The version shown while approved/published; kept while unpublished so a reversal can restore it.
    .addColumn('published_version_id', 'integer')
    // The ledger ref of the active approval credit; null when none (never approved, or reversed).
    .addColumn('points_ref', 'text')
    // 1 when the Discord message differs from what the state says (post, edit or delete it).
    .addColumn('sync_due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('synced_version_id', 'integer')
    // Part of the publishing nonce: a new message (after a delete) gets a new nonce.
    .addColumn('publish_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('posts_author').on('posts').columns(['author_id', 'created_at']).execute();
  await db.schema.createIndex('posts_state').on('posts').columns(['state', 'published_at']).execute();
  await db.schema.createIndex('posts_sync_due').on('posts').column('sync_due').where('sync_due', '=', 1).execute();

  // The text a member wrote (a post under review needs it; the privacy note in docs/posts.md says so).
  await db.schema
    .createTable('post_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    // pending | changes_requested | approved | rejected | superseded | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'integer', (c) => c.notNull())
    .addColumn('decided_at', 'integer')
    .addUniqueConstraint('post_versions_post_number', ['post_id', 'number'])
    .execute();
  // The queue (oldest pending first) and the rate limit (submissions per member in a window).
  await db.schema.createIndex('post_versions_status').on('post_versions').columns(['status', 'submitted_at']).execute();
  await db.schema.createIndex('post_versions_author').on('post_versions').columns(['author_id', 'submitted_at']).execute();

  await db.schema
    .createTable('post_decisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('post_versions.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()) // approve | reject | request_changes | unpublish | reverse
    .addColumn('reason', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    // A reversal names the decision it undid; the undone decision names its reversal.
    .addColumn('reverses_id', 'integer')
    .addColumn('reversed_by_id', 'integer')
    .execute();
  await db.schema.createIndex('post_decisions_post').on('post_decisions').columns(['post_id', 'id']).execute();
  await db.schema.createIndex('post_decisions_version').on('post_decisions').columns(['version_id', 'id']).execute();
  await db.schema.createIndex('post_decisions_actor').on('post_decisions').columns(['actor_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['post_decisions', 'post_versions', 'posts']) await db.schema.dropTable(table).execute();
}
