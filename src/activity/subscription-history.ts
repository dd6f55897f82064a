// The append-only subscription state history (subscription_states): written by the membership code
// in the same transaction as its `subscriptions` upsert, read by the metrics at any past instant.
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SubscriptionStateItem, SubscriptionStatesTable } from '../db/schema-activity.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import type { SubscriptionState } from '../membership/stripe-sync.ts';

export type SubscriptionStateRow = Selectable<SubscriptionStatesTable>;

/** A state as seen by a webhook event or a reconciliation fetch. */
export interface ObservedState {
  state: SubscriptionState;
  owner: string | null;
  pastDueSince: number | null;
  /** event.created × 1000, or the reconciliation fetch stamp. */
  sourceAt: number;
  source: string;
  now: number;
}

const TERMINAL: ReadonlySet<string> = new Set(['canceled', 'incomplete_expired']);

/** Pure: the state's own time. An ended subscription ended at ended_at, whenever we heard of it. */
export function historyAt(state: Pick<SubscriptionState, 'status' | 'ended_at'>, sourceAt: number): number {
  return TERMINAL.has(state.status) && state.ended_at !== null && state.ended_at <= sourceAt ? state.ended_at : sourceAt;
}

function rowOf(o: ObservedState): Omit<SubscriptionStateRow, 'id'> {
  const s = o.state;
  return {
    subscription_id: s.id,
    stripe_customer_id: s.stripe_customer_id,
    discord_user_id: o.owner,
    status: s.status,
    items: JSON.stringify(s.items satisfies SubscriptionStateItem[]),
    cancel_at_period_end: s.cancel_at_period_end ? 1 : 0,
    cancel_at: s.cancel_at,
    current_period_end: s.current_period_end,
    trial_end: s.trial_end,
    start_date: s.start_date,
    ended_at: s.ended_at,
    past_due_since: o.pastDueSince,
    at: historyAt(s, o.sourceAt),
    source: o.source,
    recorded_at: o.now,
  };
}

const byTime = (a: { at: number; id: number }, b: { at: number; id: number }) => a.at - b.at || a.id - b.id;

/**
 * Pure: the row in effect at `t` (rows of one subscription, any order): the last by (at, id) with
 * at <= t; before the first row, the first row from start_date on; nothing from ended_at on.
 */
export function subscriptionStateAt<R extends Pick<SubscriptionStateRow, 'at' | 'id' | 'start_date' | 'ended_at'>>(rows: readonly R[], t: number): R | null {
  const sorted = [...rows].sort(byTime);
  const first = sorted[0];
  if (!first) return null;
  const ended = sorted.reduce<number | null>((found, r) => r.ended_at ?? found, null);
  if (ended !== null && t >= ended) return null;
  let current: R | null = null;
  for (const r of sorted) if (r.at <= t) current = r;
  if (current) return current;
  return t >= Math.min(first.at, first.start_date ?? first.at) ? first : null;
}

// Attribution is not a change of state: a null owner matches any owner.
function sameState(a: Omit<SubscriptionStateRow, 'id'>, b: Omit<SubscriptionStateRow, 'id'>): boolean {
  const keys = ['status', 'items', 'cancel_at_period_end', 'cancel_at', 'current_period_end', 'trial_end', 'start_date', 'ended_at', 'past_due_since'] as const;
  if (keys.some((k) => a[k] !== b[k])) return false;
  return a.discord_user_id === null || b.discord_user_id === null || a.discord_user_id === b.discord_user_id;
}

/** Pure: the existing row an observation at `at` would restate (the one in effect then, else the first). */
function inEffect(rows: readonly SubscriptionStateRow[], at: number): SubscriptionStateRow | undefined {
  let found: SubscriptionStateRow | undefined;
  for (const r of rows) if (r.at <= at) found = r;
  return found ?? rows[0];
}

/**
 * Appends the observed states that say something new: a state equal to the one already in effect at
 * its time is not repeated. Call it in the transaction that upserts `subscriptions`.
 */
export async function appendSubscriptionStates(trx: DbOrTrx, observed: readonly ObservedState[]): Promise<number> {
  if (observed.length === 0) return 0;
  const ids = [...new Set(observed.map((o) => o.state.id))];
  const existing = await trx.selectFrom('subscription_states').selectAll().where('subscription_id', 'in', ids).execute();
  const history = new Map<string, SubscriptionStateRow[]>();
  for (const r of existing.sort(byTime)) history.set(r.subscription_id, [...(history.get(r.subscription_id) ?? []), r]);
  const fresh: Omit<SubscriptionStateRow, 'id'>[] = [];
  for (const o of observed) {
    const row = rowOf(o);
    const rows = history.get(row.subscription_id) ?? [];
    const current = inEffect(rows, row.at);
    if (current && sameState(current, row)) continue;
    fresh.push(row);
    // Later observations of the same page are compared with this one too (stand-in id: newest).
    history.set(row.subscription_id, [...rows, { ...row, id: Number.MAX_SAFE_INTEGER - fresh.length }].sort(byTime));
  }
  if (fresh.length) await trx.insertInto('subscription_states').values(fresh).execute();
  return fresh.length;
}

/** The stored state changed without a new observation (a corrected past_due start): restate its latest row. */
export async function appendCorrection(trx: DbOrTrx, subscriptionId: string, patch: { past_due_since: number }, source: string, now: number): Promise<void> {
  const latest = await trx.selectFrom('subscription_states').selectAll().where('subscription_id', '=', subscriptionId).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (!latest || latest.past_due_since === patch.past_due_since) return;
  const { id: _id, ...row } = latest;
  await trx.insertInto('subscription_states').values({ ...row, ...patch, source, recorded_at: now }).execute();
}

/** A customer link (or metadata) names the member of states stored unattributed: every such row gets them. */
export async function attributeStates(trx: DbOrTrx, where: { customerId: string } | { subscriptionId: string }, userId: string): Promise<void> {
  let q = trx.updateTable('subscription_states').set({ discord_user_id: userId }).where('discord_user_id', 'is', null);
  q = 'customerId' in where ? q.where('stripe_customer_id', '=', where.customerId) : q.where('subscription_id', '=', where.subscriptionId);
  await q.execute();
}

/** Every row, grouped by subscription and ordered by (at, id): what `subscriptionStateAt` reads. */
export async function loadSubscriptionHistory(db: Db, opts: { userId?: string } = {}): Promise<Map<string, SubscriptionStateRow[]>> {
  let q = db.selectFrom('subscription_states').selectAll().orderBy('subscription_id').orderBy('at').orderBy('id');
  if (opts.userId) q = q.where('discord_user_id', '=', opts.userId);
  const out = new Map<string, SubscriptionStateRow[]>();
  for (const r of await q.execute()) {
    const list = out.get(r.subscription_id);
    if (list) list.push(r);
    else out.set(r.subscription_id, [r]);
  }
  return out;
}

export const itemsOf = (row: Pick<SubscriptionStateRow, 'items'>): SubscriptionStateItem[] => JSON.parse(row.items) as SubscriptionStateItem[];
