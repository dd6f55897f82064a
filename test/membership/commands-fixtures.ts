import type { Db } from '../../src/db/database.ts';
import type { SubscriptionStatus } from '../../src/db/schema.ts';
import { syncMember } from '../../src/membership/member-sync.ts';
import type { BotRig } from '../rigs/bot.ts';

/** Shared by the membership command tests: state put straight into the tables the webhook handler fills. */

export interface SubscriptionRow {
  userId: string;
  priceId: string;
  status?: SubscriptionStatus;
  customer?: string;
  cancelAtPeriodEnd?: boolean;
  currentPeriodEnd?: number | null;
  trialEnd?: number | null;
  pastDueSince?: number | null;
}

let seq = 0;

export async function insertSubscription(db: Db, row: SubscriptionRow): Promise<string> {
  const id = `sub_fixture_${++seq}_${row.userId}`;
  const now = Date.now();
  await db
    .insertInto('subscriptions')
    .values({
      id,
      stripe_customer_id: row.customer ?? `cus_fixture_${seq}`,
      discord_user_id: row.userId,
      status: row.status ?? 'active',
      price_ids: JSON.stringify([row.priceId]),
      cancel_at_period_end: row.cancelAtPeriodEnd ? 1 : 0,
      cancel_at: null,
      current_period_end: row.currentPeriodEnd === undefined ? now + 30 * 86_400_000 : row.currentPeriodEnd,
      trial_end: row.trialEnd ?? null,
      ended_at: null,
      past_due_since: row.pastDueSince ?? null,
      state_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function linkCustomer(db: Db, userId: string, customerId: string): Promise<void> {
  await db.insertInto('customers').values({ stripe_customer_id: customerId, discord_user_id: userId, linked_at: Date.now(), source: 'test' }).execute();
}

/** What the webhook handler would do after storing a subscription: decide and queue the role. */
export async function sync(rig: BotRig, userId: string): Promise<void> {
  const { tiers, policy } = rig.app.deps;
  await rig.app.db.transaction().execute((trx) => syncMember(trx, userId, { tiers, policy, now: Date.now(), reason: 'test', source: 'test' }));
}

export type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
export type Button = { type: number; style: number; label: string; url?: string; custom_id?: string };

export const buttonsOf = (components: unknown[]): Button[] => (components as { components: Button[] }[]).flatMap((row) => row.components);
export const fieldsOf = (embed: unknown): Record<string, string> => Object.fromEntries((((embed ?? {}) as Embed).fields ?? []).map((f) => [f.name, f.value]));
