import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
// Activity is metadata only (who, what kind, where, when): no table here has a column for text.
export async function up(db: Kysely<any>): Promise<void> {
  // Raw events, pruned after ACTIVITY_RETENTION_DAYS. Written in batches by the capture buffer.
  await db.schema
    .createTable('activity_events')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('channel_id', 'text')
    .addColumn('ref', 'text')
    // Voice sessions only: when the member left (at = when they joined).
    .addColumn('ended_at', 'integer')
    .execute();
  // One index only: every insert pays for each index, and edge-hour reads and pruning go by time.
  await db.schema.createIndex('activity_events_at').on('activity_events').column('at').execute();
  // Voice sessions that overlap an interval's edge hour, found by their end.
  await sql`create index activity_events_voice_end on activity_events (ended_at) where kind = 'voice'`.execute(db);

  // Per member, per UTC hour, per kind: kept for good, updated in the same transaction as the raw rows.
  await sql`
    create table activity_hourly (
      hour integer not null,
      user_id text not null,
      kind text not null,
      count integer not null,
      voice_ms integer not null default 0,
      first_at integer,
      last_at integer,
      primary key (hour, user_id, kind)
    ) without rowid`.execute(db);
  // Per member: the digest's probes ("latest interaction before", cohort windows). Its writes are the
  // capture's largest cost after the raw insert (bench/capture.ts), and worth it.
  await db.schema.createIndex('activity_hourly_user').on('activity_hourly').columns(['user_id', 'hour']).execute();

  // Voice sessions in progress, so a restart or a crash does not lose their start.
  await db.schema
    .createTable('voice_sessions_open')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('seen_at', 'integer', (c) => c.notNull())
    .execute();

  // Append-only: every observed subscription state, for metrics at any past instant.
  await db.schema
    .createTable('subscription_states')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('stripe_customer_id', 'text', (c) => c.notNull())
    .addColumn('discord_user_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull()) // JSON array
    .addColumn('cancel_at_period_end', 'integer', (c) => c.notNull())
    .addColumn('cancel_at', 'integer')
    .addColumn('current_period_end', 'integer')
    .addColumn('trial_end', 'integer')
    .addColumn('start_date', 'integer')
    .addColumn('ended_at', 'integer')
    .addColumn('past_due_since', 'integer')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscription_states_sub').on('subscription_states').columns(['subscription_id', 'at', 'id']).execute();
  await db.schema.createIndex('subscription_states_user').on('subscription_states').column('discord_user_id').execute();
  await db.schema.createIndex('subscription_states_customer').on('subscription_states').column('stripe_customer_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscription_states').execute();
  await db.schema.dropTable('voice_sessions_open').execute();
  await db.schema.dropTable('activity_hourly').execute();
  await db.schema.dropTable('activity_events').execute();
}
