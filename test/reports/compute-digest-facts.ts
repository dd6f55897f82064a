// One set of facts, two ways: written to SQLite through the real write paths (subscription history,
// the activity capture) and built as the in-memory metric input. compute-digest must agree with
// digestJson over the in-memory input.
import { createActivityCapture } from '../../src/activity/capture.ts';
import { INTERACTION_KINDS } from '../../src/activity/rows.ts';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { appendSubscriptionStates } from '../../src/activity/subscription-history.ts';
import type { Db } from '../../src/db/database.ts';
import type { SubscriptionState as StoredState } from '../../src/membership/stripe-sync.ts';
import { chatFromEvents, interactionsFromTimestamps } from '../../src/reports/metrics/in-memory.ts';
import type { MemberSources, MetricsInput, Post, Question, SubscriptionState } from '../../src/reports/metrics/input.ts';
import { quietLogger } from '../activity/capture-db.ts';
import { GRACE, TIERS } from './fixtures/metrics-fixtures.ts';

export const MINUTE = 60_000;
export const POLICY = { gracePeriodMs: GRACE };

export interface Facts {
  members: MemberSources[];
  /** Subscriptions whose customer is linked to nobody: stored, but nobody's. */
  unattributed?: SubscriptionState[];
  activity: ActivityInput[];
}

const customerOf = (subscriptionId: string) => `cus_${subscriptionId}`;

function bySubscription(states: readonly SubscriptionState[]): SubscriptionState[][] {
  const out = new Map<string, SubscriptionState[]>();
  for (const s of states) out.set(s.subscription_id, [...(out.get(s.subscription_id) ?? []), s]);
  return [...out.values()];
}

function stored(s: SubscriptionState): StoredState {
  return {
    id: s.subscription_id, stripe_customer_id: customerOf(s.subscription_id), status: s.status, price_ids: s.items.map((i) => i.price_id),
    cancel_at_period_end: s.cancel_at_period_end, cancel_at: s.cancel_at, current_period_end: s.current_period_end, trial_end: s.trial_end,
    ended_at: s.ended_at, start_date: s.start_date, items: s.items.map((i) => ({ ...i })), metadata_user_id: null,
  };
}

/** Each state as observed by a webhook event at its own time, oldest first (as Stripe delivers them). */
async function writeStates(db: Db, owner: string | null, states: readonly SubscriptionState[]): Promise<void> {
  const sorted = [...states].sort((a, b) => a.at - b.at);
  for (const [i, s] of sorted.entries()) {
    await db.transaction().execute((trx) =>
      appendSubscriptionStates(trx, [{ state: stored(s), owner, pastDueSince: s.past_due_since, sourceAt: s.at, source: `stripe:evt_${s.subscription_id}_${i}`, now: s.at }]),
    );
  }
}

export async function writeFacts(db: Db, facts: Facts): Promise<void> {
  let purchase = 0;
  for (const m of facts.members) {
    for (const states of bySubscription(m.subscription_states)) await writeStates(db, m.user_id, states);
    for (const p of m.lifetime_purchases) {
      await db.insertInto('lifetime_purchases').values({ id: `cs_${++purchase}`, discord_user_id: m.user_id, stripe_customer_id: null, payment_intent_id: null, ...p }).execute();
    }
    for (const g of m.grants) {
      await db.insertInto('grants').values({ discord_user_id: m.user_id, granted_by: '1', reason: 'test', revoked_by: g.revoked_at === null ? null : '1', ...g }).execute();
    }
  }
  for (const states of bySubscription(facts.unattributed ?? [])) await writeStates(db, null, states);
  const capture = createActivityCapture({ db, clock: { now: () => 0 }, logger: quietLogger(), maxBatch: 200 });
  for (const e of facts.activity) capture.record(e);
  await capture.stop();
}

/** The figures' in-memory input from the same facts (bots left out here, as the capture does). */
export function inMemoryInput(facts: Facts, content: { questions?: Question[]; challenge_entries?: number[]; posts?: Post[] } = {}): MetricsInput {
  const human = facts.activity.filter((e) => !e.bot);
  const byMember = new Map<string, number[]>();
  for (const e of human) if (INTERACTION_KINDS.includes(e.kind)) byMember.set(e.userId, [...(byMember.get(e.userId) ?? []), e.at]);
  const messages = human.filter((e) => e.kind === 'message').map((e) => ({ user_id: e.userId, at: e.at }));
  const voice = human.filter((e) => e.kind === 'voice').map((e) => ({ user_id: e.userId, started_at: e.at, ended_at: e.endAt ?? e.at + e.minutes! * MINUTE }));
  return {
    tiers: TIERS, policy: POLICY, members: facts.members, interactions: interactionsFromTimestamps(byMember), chat: chatFromEvents(messages, voice),
    questions: content.questions ?? [], challenge_entries: content.challenge_entries ?? [], posts: content.posts ?? [],
  };
}

/** Clears what writeFacts wrote, so one database serves many property runs. */
export async function clearFacts(db: Db): Promise<void> {
  for (const table of ['activity_events', 'activity_hourly', 'activity_member_days', 'voice_sessions_open', 'subscription_states', 'lifetime_purchases', 'grants'] as const) {
    await db.deleteFrom(table).execute();
  }
}
