import type { Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
// A DM Discord refused (closed DMs) waits here and is shown ephemerally at the member's next interaction.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_notices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('shown_at', 'integer')
    .execute();
  await db.schema.createIndex('member_notices_unshown').on('member_notices').columns(['user_id', 'shown_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_notices').execute();
}
