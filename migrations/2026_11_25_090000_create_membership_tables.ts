import type { Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  // Who paid: a Stripe customer belongs to the Discord user whose id Checkout carried
  // (client_reference_id / metadata), never to a typed email. Leaving the server keeps the link.
  await db.schema
    .createTable('customers')
    .addColumn('stripe_customer_id', 'text', (c) => c.primaryKey())
    .addColumn('discord_user_id', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_discord_user').on('customers').column('discord_user_id').execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stripe_customer_id', 'text', (c) => c.notNull())
    .addColumn('discord_user_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('price_ids', 'text', (c) => c.notNull())
    .addColumn('cancel_at_period_end', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_at', 'integer')
    .addColumn('current_period_end', 'integer')
    .addColumn('trial_end', 'integer')
    .addColumn('ended_at', 'integer')
    .addColumn('past_due_since', 'integer')
    // The source time of the state stored here (event.created, or when it was fetched): an older
    // event never overwrites newer state.
    .addColumn('state_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_discord_user').on('subscriptions').column('discord_user_id').execute();
  await db.schema.createIndex('subscriptions_customer').on('subscriptions').column('stripe_customer_id').execute();

  await db.schema
    .createTable('lifetime_purchases')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the Checkout Session id
    .addColumn('discord_user_id', 'text', (c) => c.notNull())
    .addColumn('stripe_customer_id', 'text')
    .addColumn('payment_intent_id', 'text', (c) => c.unique())
    .addColumn('price_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // paid | refunded | disputed
    .addColumn('purchased_at', 'integer', (c) => c.notNull())
    .addColumn('state_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lifetime_discord_user').on('lifetime_purchases').column('discord_user_id').execute();

  await db.schema
    .createTable('grants')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('discord_user_id', 'text', (c) => c.notNull())
    .addColumn('tier_name', 'text', (c) => c.notNull())
    .addColumn('until', 'integer')
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema.createIndex('grants_discord_user').on('grants').column('discord_user_id').execute();

  // The managed roles each member should hold, as last decided; a change queues the difference.
  await db.schema
    .createTable('entitlements')
    .addColumn('discord_user_id', 'text', (c) => c.primaryKey())
    .addColumn('tier_name', 'text')
    .addColumn('role_ids', 'text', (c) => c.notNull())
    // When this decision lapses by itself (grace period, grant expiry, cancel date): the
    // scheduled check re-decides these rows, since no event will arrive for them.
    .addColumn('expires_at', 'integer')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('entitlements_expiry').on('entitlements').column('expires_at').execute();

  // Durable outbox for Discord side effects: written in the same transaction as the decision.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull()) // role_add | role_remove | message
    .addColumn('discord_user_id', 'text')
    .addColumn('role_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | waiting_member | done | failed | superseded
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('done_at', 'integer')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_member').on('outbox').columns(['discord_user_id', 'status']).execute();

  await db.schema
    .createTable('role_audit')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('discord_user_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()) // granted | revoked
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('posted_at', 'integer')
    .execute();
  await db.schema.createIndex('role_audit_unposted').on('role_audit').columns(['posted_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['role_audit', 'outbox', 'entitlements', 'grants', 'lifetime_purchases', 'subscriptions', 'customers']) {
    await db.schema.dropTable(table).execute();
  }
}
