import type { Selectable } from 'kysely';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { SubscriptionStatus, SubscriptionsTable } from '../db/schema.ts';
import type { SubscriptionStateItem } from '../db/schema-activity.ts';
import { appendCorrection, appendSubscriptionStates, attributeStates } from '../activity/subscription-history.ts';
import type { Policy } from './entitlement.ts';
import { syncMember } from './member-sync.ts';
import type { DbOrTrx } from './outbox.ts';
import type { Tiers } from './tiers.ts';

/** Stripe sends seconds; we store epoch milliseconds. */
export const ms = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined ? null : seconds * 1000);

/** A Stripe reference: an id, or the expanded object. */
export const stripeRef = z.union([z.string(), z.looseObject({ id: z.string() })]).transform((r) => (typeof r === 'string' ? r : r.id));
export const DISCORD_ID = /^\d{17,20}$/;

// Amounts are read for the state history (MRR) only, leniently: an odd price never blocks a membership change.
const priceSchema = z.object({
  id: z.string(),
  unit_amount: z.number().nullish().catch(null),
  currency: z.string().nullish().catch(null),
  recurring: z.object({ interval: z.string(), interval_count: z.number() }).nullish().catch(null),
});

/** Only the fields we read, for API version 2026-10-28.endive (the period lives on the items). */
const subscriptionSchema = z.object({
  id: z.string().min(1),
  customer: stripeRef,
  status: z.enum(['active', 'trialing', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused']),
  metadata: z.record(z.string(), z.string()).nullish(),
  cancel_at_period_end: z.boolean(),
  cancel_at: z.number().nullish(),
  trial_end: z.number().nullish(),
  ended_at: z.number().nullish(),
  start_date: z.number().nullish().catch(null),
  items: z.object({ data: z.array(z.object({ price: priceSchema, quantity: z.number().nullish().catch(null), current_period_end: z.number().nullish() })) }),
});

export interface SubscriptionState {
  id: string;
  stripe_customer_id: string;
  status: SubscriptionStatus;
  price_ids: string[];
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  current_period_end: number | null;
  trial_end: number | null;
  ended_at: number | null;
  /** Stripe's start_date in ms. */
  start_date: number | null;
  /** Price, amount, interval and quantity of each item, for the state history. */
  items: SubscriptionStateItem[];
  /** `metadata.discord_user_id` when it is a Discord id (set by /join through subscription_data.metadata). */
  metadata_user_id: string | null;
}

/** A Stripe subscription as the row we keep (times in ms; current_period_end = the latest over its items). */
export function subscriptionState(sub: Stripe.Subscription | unknown): SubscriptionState {
  const s = subscriptionSchema.parse(sub);
  const ends = s.items.data.map((i) => i.current_period_end).filter((e): e is number => typeof e === 'number');
  const metaUser = s.metadata?.discord_user_id;
  return {
    id: s.id,
    stripe_customer_id: s.customer,
    status: s.status,
    price_ids: s.items.data.map((i) => i.price.id),
    cancel_at_period_end: s.cancel_at_period_end,
    cancel_at: ms(s.cancel_at),
    current_period_end: ends.length ? ms(Math.max(...ends)) : null,
    trial_end: ms(s.trial_end),
    ended_at: ms(s.ended_at),
    start_date: ms(s.start_date),
    items: s.items.data.map(({ price, quantity }) => ({
      price_id: price.id,
      unit_amount: price.unit_amount ?? null,
      currency: (price.currency ?? '').toLowerCase(),
      interval: price.recurring?.interval ?? null,
      interval_count: price.recurring?.interval_count ?? 1,
      quantity: quantity ?? 1,
    })),
    metadata_user_id: metaUser && DISCORD_ID.test(metaUser) ? metaUser : null,
  };
}

// Within one second Stripe can emit several states of one subscription (a renewal's period change,
// then past_due). Ties are broken by a total order on the state itself, so the stored result never
// depends on delivery order: terminal first, then the later period, then the "further along" status.
const STATUS_RANK: Record<SubscriptionStatus, number> = { incomplete: 0, trialing: 1, active: 2, paused: 3, past_due: 4, unpaid: 5, canceled: 6, incomplete_expired: 6 };
const tieKey = (s: { status: SubscriptionStatus; current_period_end: number | null }) => [STATUS_RANK[s.status] === 6 ? 1 : 0, s.current_period_end ?? 0, STATUS_RANK[s.status]];
const fingerprint = (s: { status: string; price_ids: string; cancel_at_period_end: number; cancel_at: number | null; current_period_end: number | null; trial_end: number | null; ended_at: number | null }) =>
  JSON.stringify([s.status, s.price_ids, s.cancel_at_period_end, s.cancel_at, s.current_period_end, s.trial_end, s.ended_at]);

type Comparable = Pick<SubscriptionsTable, 'status' | 'price_ids' | 'cancel_at_period_end' | 'cancel_at' | 'current_period_end' | 'trial_end' | 'ended_at' | 'state_at'>;

/**
 * Two different states of one subscription stamped with the same second: the event alone cannot
 * say which is newer (an upgrade right after creation, say). The handler then asks Stripe.
 */
export function isAmbiguousTie(stored: Comparable, incoming: SubscriptionState, stateAt: number): boolean {
  if (stored.state_at !== stateAt) return false;
  // A terminal state is final (an ended subscription never comes back): the tie rule settles it.
  if (STATUS_RANK[stored.status] === 6 || STATUS_RANK[incoming.status] === 6) return false;
  const row = { ...incoming, price_ids: JSON.stringify(incoming.price_ids), cancel_at_period_end: incoming.cancel_at_period_end ? 1 : 0 };
  return fingerprint(row) !== fingerprint(stored);
}

/** Does `incoming` replace `stored`? Older never wins; a fetched (current) state wins ties, as it is at least that new. */
export function supersedes(stored: Comparable, incoming: Comparable, fetched = false): boolean {
  if (incoming.state_at !== stored.state_at) return incoming.state_at > stored.state_at;
  if (fetched) return true;
  const [a, b] = [tieKey(incoming), tieKey(stored)];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return fingerprint(incoming) > fingerprint(stored);
}

export interface ApplyOptions {
  /** Source time of this state in ms: event.created × 1000, or when it was fetched. */
  stateAt: number;
  /** "stripe:evt_…", "reconcile", …: recorded on the role changes it causes. */
  source: string;
  /** Shown in the audit log; defaults to a line naming the subscription and its status. */
  reason?: string;
  /** True when the event's previous_attributes show the status changing into past_due here. */
  enteredPastDue?: boolean;
  /** The state was retrieved from Stripe just now (not an event snapshot): it wins ties. */
  fetched?: boolean;
  /** The state's time in the history when it differs from stateAt (a fetched state that moved on since its event). */
  historyAt?: number;
  tiers: Tiers;
  policy: Policy;
  now: number;
}

export async function customerOwner(trx: DbOrTrx, customerId: string): Promise<string | null> {
  const row = await trx.selectFrom('customers').select('discord_user_id').where('stripe_customer_id', '=', customerId).executeTakeFirst();
  return row?.discord_user_id ?? null;
}

/** The row we store for a subscription state (the one mapping; reconciliation reuses it). */
export function subscriptionRow(s: SubscriptionState, at: { owner: string | null; pastDueSince: number | null; stateAt: number; now: number }): Selectable<SubscriptionsTable> {
  return {
    id: s.id,
    stripe_customer_id: s.stripe_customer_id,
    discord_user_id: at.owner,
    status: s.status,
    price_ids: JSON.stringify(s.price_ids),
    cancel_at_period_end: s.cancel_at_period_end ? 1 : 0,
    cancel_at: s.cancel_at,
    current_period_end: s.current_period_end,
    trial_end: s.trial_end,
    ended_at: s.ended_at,
    past_due_since: at.pastDueSince,
    state_at: at.stateAt,
    updated_at: at.now,
  };
}

/**
 * Stores a subscription state unless we already hold a newer one, attributes it to its member
 * (metadata, else the customer link; never an email), and re-syncs the member(s) it affects.
 */
export async function applySubscription(trx: DbOrTrx, sub: Stripe.Subscription | unknown, opts: ApplyOptions): Promise<{ applied: boolean; userId: string | null }> {
  const s = subscriptionState(sub);
  const stored = await trx.selectFrom('subscriptions').selectAll().where('id', '=', s.id).executeTakeFirst();
  const owner = s.metadata_user_id ?? (await customerOwner(trx, s.stripe_customer_id)) ?? stored?.discord_user_id ?? null;
  const { id: _id, ...next } = subscriptionRow(s, { owner, pastDueSince: pastDueSince(stored, s.status, opts), stateAt: opts.stateAt, now: opts.now });
  const applied = !stored || supersedes(stored, next, opts.fetched);
  // History: every observed state, older ones included; one that lost a same-second tie never held.
  if (applied || stored!.state_at !== opts.stateAt) {
    await appendSubscriptionStates(trx, [{ state: s, owner, pastDueSince: next.past_due_since, sourceAt: opts.historyAt ?? opts.stateAt, source: opts.source, now: opts.now }]);
  }
  if (applied) {
    await trx.insertInto('subscriptions').values({ id: s.id, ...next }).onConflict((oc) => oc.column('id').doUpdateSet(next)).execute();
  } else if (stored) {
    // An older state: ignored, but it may still tell us whom the subscription belongs to, or that
    // the current past_due stretch started later than we thought (a re-entry we had missed).
    const patch: { discord_user_id?: string; past_due_since?: number } = {};
    if (stored.discord_user_id === null && owner !== null) patch.discord_user_id = owner;
    if (opts.enteredPastDue && stored.status === 'past_due' && (stored.past_due_since ?? 0) < opts.stateAt) patch.past_due_since = opts.stateAt;
    if (Object.keys(patch).length === 0) return { applied: false, userId: owner };
    await trx.updateTable('subscriptions').set(patch).where('id', '=', s.id).execute();
    if (patch.discord_user_id) await attributeStates(trx, { subscriptionId: s.id }, patch.discord_user_id);
    if (patch.past_due_since !== undefined) await appendCorrection(trx, s.id, { past_due_since: patch.past_due_since }, opts.source, opts.now);
  }
  const ctx = { tiers: opts.tiers, policy: opts.policy, now: opts.now, source: opts.source, reason: opts.reason ?? `Stripe subscription ${s.id} is ${s.status}` };
  if (owner) await syncMember(trx, owner, ctx);
  // Re-attributed (metadata changed): the previous holder loses what this subscription gave them.
  if (stored?.discord_user_id && stored.discord_user_id !== owner) await syncMember(trx, stored.discord_user_id, ctx);
  return { applied, userId: owner };
}

/**
 * When the current past_due stretch began: the first past_due after another status. A later
 * past_due keeps the stored start; an event that shows the status changing into past_due sets it.
 */
function pastDueSince(stored: { status: SubscriptionStatus; past_due_since: number | null } | undefined, status: SubscriptionStatus, opts: ApplyOptions): number | null {
  if (status !== 'past_due') return null;
  if (opts.enteredPastDue) return opts.stateAt;
  if (stored?.status === 'past_due' && stored.past_due_since !== null) return Math.min(stored.past_due_since, opts.stateAt);
  return opts.stateAt;
}

/** Attributes a customer's unattributed subscriptions to a newly linked member; returns whether any were. */
export async function attributeCustomer(trx: DbOrTrx, customerId: string, userId: string): Promise<boolean> {
  const result = await trx
    .updateTable('subscriptions')
    .set({ discord_user_id: userId })
    .where('stripe_customer_id', '=', customerId)
    .where('discord_user_id', 'is', null)
    .executeTakeFirst();
  await attributeStates(trx, { customerId }, userId);
  return Number(result.numUpdatedRows) > 0;
}
