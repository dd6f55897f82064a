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

/**
 * Within one state, entitlement can only lapse as time passes (ended_at, the grace period, a
 * cancellation date), never begin: so each state entitles on a prefix [start, end) of its span.
 */
function ofOneSubscription(history: SubscriptionState[], policy: Policy): Segment[] {
  history.sort((a, b) => a.at - b.at);
  const endedAt = history.reduce<number | null>((found, s) => s.ended_at ?? found, null);
  const first = history[0]!;
  const segments: Segment[] = [];
  history.forEach((state, i) => {
    const start = i === 0 ? Math.min(state.at, first.start_date ?? state.at) : state.at;
    const next = history[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    const e = entitlementOf(facts(state, endedAt), start, policy);
    if (!e.entitled) return;
    const end = Math.min(next, endedAt ?? Number.POSITIVE_INFINITY, e.until ?? Number.POSITIVE_INFINITY);
    if (end > start) segments.push({ start, end, state });
  });
  return segments;
}

/** The entitling segments of all of a member's subscriptions (state rows of any subscription, any order). */
export function subscriptionSegments(states: readonly SubscriptionState[], policy: Policy): Segment[] {
  if (states.length === 0) return [];
  // Most members have one subscription: skip the grouping.
  if (states.every((s) => s.subscription_id === states[0]!.subscription_id)) return ofOneSubscription([...states], policy);
  const bySubscription = new Map<string, SubscriptionState[]>();
  for (const s of states) {
    const list = bySubscription.get(s.subscription_id);
    if (list) list.push(s);
    else bySubscription.set(s.subscription_id, [s]);
  }
  return [...bySubscription.values()].flatMap((history) => ofOneSubscription(history, policy));
}

/** Paying statuses: trialing entitles but pays nothing. */
export const contributes = (segment: Segment): boolean => segment.state.status === 'active' || segment.state.status === 'past_due';
