// Every member's entitling sources, as the metric functions read them (src/reports/metrics/input.ts):
// the subscription state history, lifetime purchases and grants, grouped by Discord user id.
// At 100k members this is the largest read of the digest: state rows come as packed text (no JSON
// per row), and members without purchases or grants share empty lists.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { connectionReader } from '../db/side-reader.ts';
import type { SubscriptionStatus } from '../db/schema.ts';
import { FIELD, jsonRows, PackedRows, RECORD } from './load-json.ts';
import type { Grant, LifetimePurchase, MemberSources, SubscriptionItem, SubscriptionState } from './metrics/input.ts';

interface Sources {
  user_id: string;
  subscription_states: SubscriptionState[];
  lifetime_purchases: LifetimePurchase[];
  grants: Grant[];
}

/** Shared by every member without such rows; `append` never writes to it. */
const NONE: never[] = [];
function append<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}

/**
 * State rows attributed to a member, in id order, as packed text (load-json.ts). A table scan, in
 * the table's order: any other order costs a lookup per row. `items`, JSON that cannot hold the
 * record separator, comes last in its record.
 */
const STATE_ROWS = sql.raw(`select group_concat(concat_ws(char(${FIELD.charCodeAt(0)}), id, discord_user_id, subscription_id, status, cancel_at_period_end,
    coalesce(cancel_at, ''), coalesce(current_period_end, ''), coalesce(trial_end, ''), coalesce(start_date, ''),
    coalesce(ended_at, ''), coalesce(past_due_since, ''), at, items), char(${RECORD.charCodeAt(0)})) as packed
  from subscription_states where discord_user_id is not null`);

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
    if (!m) members.set(userId, (m = { user_id: userId, subscription_states: NONE, lifetime_purchases: NONE, grants: NONE }));
    return m;
  };
  const reader = connectionReader(db);
  const [first] = await reader.read(sql<{ packed: string | null }>`${STATE_ROWS}`);
  const { users, states } = inIdOrder(readStates(first?.packed ?? ''));
  for (let i = 0; i < states.length; i++) {
    const m = of(users[i]!);
    m.subscription_states = append(m.subscription_states, states[i]!);
  }
  const purchases = await jsonRows<[string, string, number, LifetimePurchase['status'], number]>(reader, sql`select json_group_array(json_array(discord_user_id, price_id, purchased_at, status, state_at) order by id) from lifetime_purchases`);
  for (const [user, price_id, purchased_at, status, state_at] of purchases) {
    const m = of(user);
    m.lifetime_purchases = append(m.lifetime_purchases, { price_id, purchased_at, status, state_at });
  }
  const grants = await jsonRows<[string, string, number, number | null, number | null]>(reader, sql`select json_group_array(json_array(discord_user_id, tier_name, created_at, until, revoked_at) order by id) from grants`);
  for (const [user, tier_name, created_at, until, revoked_at] of grants) {
    const m = of(user);
    m.grants = append(m.grants, { tier_name, created_at, until, revoked_at });
  }
  return [...members.values()];
}

interface StateRows {
  users: string[];
  ids: number[];
  states: SubscriptionState[];
}

/** Each state with its member's id and row id, in the query's order. */
function readStates(packed: string): StateRows {
  const rows = new PackedRows(packed);
  const ids: number[] = [];
  const users: string[] = [];
  const states: SubscriptionState[] = [];
  // A text equal to the previous row's is replaced by that one: one string kept instead of many,
  // and a user id already hashed by the grouping map. Comparing is cheaper than looking up.
  let user = '';
  let subscription = '';
  let status = '';
  let itemsText = '';
  let items: SubscriptionItem[] = [];
  const itemLists = new Map<string, SubscriptionItem[]>(); // most members share a plan: one list per text
  while (!rows.done) {
    ids.push(rows.int());
    users.push((user = same(user, rows.text())));
    subscription = same(subscription, rows.text());
    status = same(status, rows.text());
    const cancel = rows.int() !== 0;
    const cancel_at = rows.intOrNull();
    const current_period_end = rows.intOrNull();
    const trial_end = rows.intOrNull();
    const start_date = rows.intOrNull();
    const ended_at = rows.intOrNull();
    const past_due_since = rows.intOrNull();
    const at = rows.int();
    const text = rows.last();
    if (text !== itemsText) {
      itemsText = text;
      let list = itemLists.get(text);
      if (!list) itemLists.set(text, (list = JSON.parse(text) as SubscriptionItem[]));
      items = list;
    }
    states.push({ subscription_id: subscription, status: status as SubscriptionStatus, items, cancel_at_period_end: cancel, cancel_at, current_period_end, trial_end, start_date, ended_at, past_due_since, at });
  }
  return { ids, users, states };
}

const same = (previous: string, next: string): string => (next === previous ? previous : next);

/** A table scan returns rows in id order; should it not, id order is restored (ties of `at` depend on it). */
function inIdOrder(rows: StateRows): StateRows {
  const { users, ids, states } = rows;
  let ordered = true;
  for (let i = 1; i < ids.length && ordered; i++) ordered = ids[i - 1]! < ids[i]!;
  if (ordered) return rows;
  const order = ids.map((_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
  return { users: order.map((i) => users[i]!), ids: order.map((i) => ids[i]!), states: order.map((i) => states[i]!) };
}
