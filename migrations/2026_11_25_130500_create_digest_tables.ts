import type { Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
// One row per weekly digest, keyed by its scheduled instant (asOf): inserting it is the claim that
// makes the digest exactly-once across restarts and instances. The row is written in the same
// transaction that queues the message in the outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digests')
    .addColumn('as_of', 'integer', (c) => c.primaryKey())
    // 'queued': the message is in the outbox. 'baseline': first start, nothing was missed, nothing posted.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    // The DigestJson the owners were sent (null for a baseline row): what they saw, kept for audit.
    .addColumn('json', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digests').execute();
}
