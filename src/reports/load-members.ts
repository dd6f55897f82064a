// Every member's entitling sources, as the metric functions read them (src/reports/metrics/input.ts):
// the subscription state history, lifetime purchases and grants, grouped by Discord user id.
// Each table comes back as one JSON array (load-json.ts).
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { jsonRows } from './load-json.ts';
import type { SubscriptionStatus } from '../db/schema.ts';
import type { Grant, LifetimePurchase, MemberSources, SubscriptionItem, SubscriptionState } from './metrics/input.ts';

interface Sources {
  user_id: string;
  subscription_states: SubscriptionState[];
  lifetime_purchases: LifetimePurchase[];
  grants: Grant[];
}

type StateRow = [id: number, user: string, subscription: string, status: SubscriptionStatus, items: number, cancelAtPeriodEnd: number, cancelAt: number | null, periodEnd: number | null, trialEnd: number | null, start: number | null, ended: number | null, pastDueSince: number | null, at: number];

/**
 * Members are the Discord users named by any source. State rows not attributed to a member yet
 * (discord_user_id null) belong to nobody: they count once a customer link attributes them.
 * State rows are passed in id order: the metric functions order each subscription's rows by `at`
 * (a stable sort), so rows of equal `at` keep id order and the later one wins, as the history says.
 * `items` is stored as JSON by our own Stripe sync with the input's field names.
 */
export async function loadMembers(db: Db): Promise<MemberSources[]> {
  const members = new Map<string, Sources>();
  const of = (userId: string): Sources => {
    let m = members.get(userId);
    if (!m) members.set(userId, (m = { user_id: userId, subscription_states: [], lifetime_purchases: [], grants: [] }));
    return m;
  };
  // `items` as an index into the distinct item lists (most members share a plan): each list is sent and parsed once.
  const [distinct, states] = (await jsonRows<unknown>(db, sql`with d as materialized (select items, row_number() over () - 1 as k from (select distinct items from subscription_states))
    select json_array((select json_group_array(json(items) order by k) from d), (select json_group_array(json_array(id, discord_user_id, subscription_id, status, (select k from d where d.items = s.items),
      cancel_at_period_end, cancel_at, current_period_end, trial_end, start_date, ended_at, past_due_since, at)) from subscription_states s where discord_user_id is not null))`)) as [SubscriptionItem[][], StateRow[]];
  // A table scan returns rows in id order; should it not, id order is restored (ties of `at` depend on it).
  if (states.some((r, i) => i > 0 && r[0] < states[i - 1]![0])) states.sort((x, y) => x[0] - y[0]);
  for (const [, user, subscription_id, status, k, cancel, cancel_at, current_period_end, trial_end, start_date, ended_at, past_due_since, at] of states) {
    of(user).subscription_states.push({
      subscription_id, status, items: distinct[k]!, cancel_at_period_end: cancel !== 0, cancel_at, current_period_end, trial_end, start_date, ended_at, past_due_since, at,
    });
  }
  const purchases = await jsonRows<[string, string, number, LifetimePurchase['status'], number]>(db, sql`select json_group_array(json_array(discord_user_id, price_id, purchased_at, status, state_at) order by id) from lifetime_purchases`);
  for (const [user, price_id, purchased_at, status, state_at] of purchases) of(user).lifetime_purchases.push({ price_id, purchased_at, status, state_at });
  const grants = await jsonRows<[string, string, number, number | null, number | null]>(db, sql`select json_group_array(json_array(discord_user_id, tier_name, created_at, until, revoked_at) order by id) from grants`);
  for (const [user, tier_name, created_at, until, revoked_at] of grants) of(user).grants.push({ tier_name, created_at, until, revoked_at });
  return [...members.values()];
}
