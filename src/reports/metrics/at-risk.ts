// Paying members who were active and went quiet: the owners' call list, most urgent first.
import type { MemberTimeline } from './member-timeline.ts';
import { DAY, iso, WEEK, within } from './time.ts';
import type { AtRiskMember } from './types.ts';

/**
 * Stripe's next charge at t: the earliest current_period_end of an active, non-cancelling
 * subscription, or trial_end of a non-cancelling trial; null otherwise (past_due included).
 */
export function renewsAt(timeline: MemberTimeline, t: number): number | null {
  let earliest: number | null = null;
  for (const { start, end, state } of timeline.segments) {
    if (!within(t, start, end) || state.cancel_at_period_end || state.cancel_at !== null) continue;
    const next = state.status === 'active' ? state.current_period_end : state.status === 'trialing' ? state.trial_end : null;
    if (next !== null && (earliest === null || next < earliest)) earliest = next;
  }
  return earliest;
}

/** Snowflakes in numeric order (shorter is smaller), which is string order at equal length. */
export const compareUserIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export interface Candidate {
  timeline: MemberTimeline;
  /** The last interaction in [asOf − 42d, asOf) (older ones do not matter here). */
  last: number | null;
}

/** Entitled at asOf (the caller's filter), interactions in [asOf − 42d, asOf − 14d), none in [asOf − 14d, asOf). */
export function atRiskMembers(entitled: readonly Candidate[], asOf: number): AtRiskMember[] {
  const rows: { user_id: string; renews: number | null; last: number; soon: boolean }[] = [];
  for (const c of entitled) {
    if (c.last === null || !within(c.last, asOf - 42 * DAY, asOf - 14 * DAY)) continue;
    const renews = renewsAt(c.timeline, asOf);
    rows.push({ user_id: c.timeline.user_id, renews, last: c.last, soon: renews !== null && within(renews, asOf, asOf + WEEK) });
  }
  // Sort keys worked out once per row above: at 100k members this list holds thousands.
  rows.sort((a, b) => {
    if (a.soon !== b.soon) return a.soon ? -1 : 1;
    const key = a.soon ? a.renews! - b.renews! : a.last - b.last;
    return key || compareUserIds(a.user_id, b.user_id);
  });
  return rows.map((r) => ({ user_id: r.user_id, renews_at: r.renews === null ? null : iso(r.renews), last_interaction_at: iso(r.last) }));
}
