import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code, so later refactors cannot change history.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ui_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer')
    .execute();
  await db.schema.createIndex('ui_state_expires_at').on('ui_state').column('expires_at').execute();

  await db.schema
    .createTable('stripe_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'integer', (c) => c.notNull())
    .addColumn('processed_at', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('stripe_events_unprocessed')
    .on('stripe_events')
    .columns(['processed_at', 'created'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stripe_events').execute();
  await db.schema.dropTable('ui_state').execute();
}
