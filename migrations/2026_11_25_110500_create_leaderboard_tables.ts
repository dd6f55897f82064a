import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  // The points ledger rolled up per (period, source, member): period is a month key ('2026-11', in
  // the zone recorded in points_rollup_state) or 'all'; source '*' sums every source. Kept in the
  // same transaction as each ledger write, so a leaderboard is an index range scan, not a GROUP BY.
  await db.schema
    .createTable('points_rollup')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    // When the member reached this total (latest credit still standing): the tie-break, earlier first.
    .addColumn('reached_at', 'integer')
    .addPrimaryKeyConstraint('points_rollup_pk', ['period', 'source', 'member_id'])
    .execute();
  // Board order, so top-N reads N index entries and a rank is a counted range.
  await sql`create index points_rollup_rank on points_rollup (period, source, total desc, reached_at, member_id)`.execute(db);

  // One row: the zone the month keys were computed in, and how much of the ledger the rollup holds.
  // It starts as "UTC, empty ledger"; startup rebuilds when the zone or the ledger says otherwise
  // (an existing ledger, e.g. Q&A points written before this migration, is backfilled that way).
  await db.schema
    .createTable('points_rollup_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('ledger_rows', 'integer', (c) => c.notNull())
    .addColumn('last_id', 'integer', (c) => c.notNull())
    .addColumn('built_at', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('points_rollup_state').values({ id: 1, time_zone: 'UTC', ledger_rows: 0, last_id: 0, built_at: 0 }).execute();

  // The one message per channel and board that the bot edits instead of reposting.
  await db.schema
    .createTable('leaderboard_messages')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('board', 'text', (c) => c.notNull())
    // Null while being (re)created; `nonce` then makes a retried POST return the same message.
    .addColumn('message_id', 'text')
    .addColumn('nonce', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('leaderboard_messages_pk', ['channel_id', 'board'])
    .execute();

  // One row per month once decided (member null: nobody scored). The primary key makes it exactly once.
  await db.schema
    .createTable('champions')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text')
    .addColumn('points', 'integer')
    .addColumn('decided_at', 'integer', (c) => c.notNull())
    // When the role was queued for removal (or handed on to the same member the next month).
    .addColumn('rotated_out_at', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['champions', 'leaderboard_messages', 'points_rollup_state', 'points_rollup']) await db.schema.dropTable(table).execute();
}
