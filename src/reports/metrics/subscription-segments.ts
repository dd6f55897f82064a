// A subscription's history as the intervals in which it entitles its member, under the one
// membership policy (entitlementOf), evaluated over time instead of at a single instant.
import { entitlementOf, type Policy, type SubscriptionFacts } from '../../membership/entitlement.ts';
import type { SubscriptionState } from './input.ts';

/** [start, end) in which `state` holds and entitles. end may be +∞. */
export interface Segment {
  start: number;
  end: number;
  state: SubscriptionState;
}

const INF = Number.POSITIVE_INFINITY;

/** The policy's view of one state. */
function facts(state: SubscriptionState, endedAt: number | null): SubscriptionFacts {
  return {
    id: state.subscription_id,
    status: state.status,
    priceIds: state.items.map((i) => i.price_id),
    cancelAtPeriodEnd: state.cancel_at_period_end,
    cancelAt: state.cancel_at,
    currentPeriodEnd: state.current_period_end,
    trialEnd: state.trial_end,
    endedAt,
    pastDueSince: state.past_due_since,
  };
}

/** The rows in `at` order, stable for equal `at`; the input itself when already in order (the usual case). */
function inAtOrder(history: readonly SubscriptionState[]): readonly SubscriptionState[] {
  for (let i = 1; i < history.length; i++) if (history[i]!.at < history[i - 1]!.at) return [...history].sort((a, b) => a.at - b.at);
  return history;
}

/**
 * Within one state, entitlement can only lapse as time passes (ended_at, the grace period, a
 * cancellation date), never begin: so each state entitles on a prefix [start, end) of its span.
 */
function ofOneSubscription(rows: readonly SubscriptionState[], policy: Policy, out: Segment[]): void {
  const history = inAtOrder(rows);
  // Stripe's ended_at, once known on any row, ends the whole subscription (the latest known wins).
  let endedAt: number | null = null;
  for (const s of history) if (s.ended_at !== null) endedAt = s.ended_at;
  const first = history[0]!;
  for (let i = 0; i < history.length; i++) {
    const state = history[i]!;
    const start = i === 0 ? Math.min(state.at, first.start_date ?? state.at) : state.at;
    const e = entitlementOf(facts(state, endedAt), start, policy);
    if (!e.entitled) continue;
    const next = i + 1 < history.length ? history[i + 1]!.at : INF;
    const end = Math.min(next, endedAt ?? INF, e.until ?? INF);
    if (end > start) out.push({ start, end, state });
  }
}

function oneSubscription(states: readonly SubscriptionState[]): boolean {
  const id = states[0]!.subscription_id;
  for (let i = 1; i < states.length; i++) if (states[i]!.subscription_id !== id) return false;
  return true;
}

/** The entitling segments of all of a member's subscriptions (state rows of any subscription, any order). */
export function subscriptionSegments(states: readonly SubscriptionState[], policy: Policy): Segment[] {
  const segments: Segment[] = [];
  if (states.length === 0) return segments;
  // Most members have one subscription: skip the grouping.
  if (oneSubscription(states)) {
    ofOneSubscription(states, policy, segments);
    return segments;
  }
  const bySubscription = new Map<string, SubscriptionState[]>();
  for (const s of states) {
    const list = bySubscription.get(s.subscription_id);
    if (list) list.push(s);
    else bySubscription.set(s.subscription_id, [s]);
  }
  for (const history of bySubscription.values()) ofOneSubscription(history, policy, segments);
  return segments;
}

/** Paying statuses: trialing entitles but pays nothing. */
export const contributes = (segment: Segment): boolean => segment.state.status === 'active' || segment.state.status === 'past_due';
