// One member's history, prepared once (O(their history)) and then read at any instant.
import type { Policy } from '../../membership/entitlement.ts';
import type { Tiers } from '../../membership/tiers.ts';
import type { MemberSources } from './input.ts';
import { addInto, type Amounts, itemsAmounts, NO_AMOUNTS, pays } from './money.ts';
import type { Rational } from './rational.ts';
import { contributes, type Segment, subscriptionSegments } from './subscription-segments.ts';

export interface Interval {
  start: number;
  end: number;
}

export interface TierInterval extends Interval {
  tier: string;
  rank: number;
}

export interface MemberTimeline {
  user_id: string;
  /** Every source's entitling interval with its tier. */
  tiers: TierInterval[];
  /** Entitlement periods: the maximal intervals of the union of `tiers`, in order, never touching. */
  periods: Interval[];
  /**
   * Subscription segments that pay (active, or past_due inside the grace) a non-zero amount. Their
   * exact amounts are worked out on first read (most are never read) and kept.
   */
  contributions: Contribution[];
  /** Entitling subscription segments, for the next renewal. */
  segments: Segment[];
  /** When the member first had a non-zero contribution, or null. */
  firstContributionAt: number | null;
}

export interface Contribution {
  segment: Segment;
  amounts: Amounts | null;
}

const INF = Number.POSITIVE_INFINITY;

function tierIntervals(sources: MemberSources, segments: Segment[], tiers: Tiers): TierInterval[] {
  const out: TierInterval[] = [];
  const push = (start: number, end: number, tier: { name: string; rank: number } | undefined) => {
    if (tier && end > start) out.push({ start, end, tier: tier.name, rank: tier.rank });
  };
  for (const s of segments) {
    // Like decide(): a subscription gives the highest-rank tier among its prices; none, no entitlement.
    let best: { name: string; rank: number } | undefined;
    for (const i of s.state.items) {
      const tier = tiers.byPrice(i.price_id);
      if (tier && (!best || tier.rank > best.rank)) best = tier;
    }
    push(s.start, s.end, best);
  }
  for (const p of sources.lifetime_purchases) push(p.purchased_at, p.status === 'paid' ? INF : p.state_at, tiers.byPrice(p.price_id));
  for (const g of sources.grants) push(g.created_at, Math.min(g.until ?? INF, g.revoked_at ?? INF), tiers.byName(g.tier_name));
  return out;
}

/** Maximal intervals of the union: touching intervals ([a, b) then [b, c)) make one period. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  if (intervals.length === 1) return [{ start: intervals[0]!.start, end: intervals[0]!.end }];
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

export function memberTimeline(sources: MemberSources, tiers: Tiers, policy: Policy): MemberTimeline {
  const segments = subscriptionSegments(sources.subscription_states, policy);
  const intervals = tierIntervals(sources, segments, tiers);
  const contributions = segments.filter((s) => contributes(s) && s.state.items.some(pays)).map((segment) => ({ segment, amounts: null }));
  const firstContributionAt = contributions.reduce<number | null>((min, { segment }) => (min === null || segment.start < min ? segment.start : min), null);
  return { user_id: sources.user_id, tiers: intervals, periods: mergeIntervals(intervals), contributions, segments, firstContributionAt };
}

const contains = (i: Interval, t: number) => t >= i.start && t < i.end;

export function entitledAt(timeline: MemberTimeline, t: number): boolean {
  return timeline.periods.some((p) => contains(p, t));
}

/** The highest-rank tier entitled at t, or null. */
export function tierAt(timeline: MemberTimeline, t: number): string | null {
  let best: TierInterval | null = null;
  for (const i of timeline.tiers) if (contains(i, t) && (!best || i.rank > best.rank)) best = i;
  return best?.tier ?? null;
}

/** The member's monthly contribution at t, exact, per currency (concurrent subscriptions add up). */
export function contributionAt(timeline: MemberTimeline, t: number): Amounts {
  let one: Amounts | null = null;
  let sum: Map<string, Rational> | null = null;
  for (const c of timeline.contributions) {
    if (!contains(c.segment, t)) continue;
    const amounts = (c.amounts ??= itemsAmounts(c.segment.state.items));
    if (one === null && sum === null) one = amounts;
    else {
      sum ??= new Map(one!);
      addInto(sum, amounts);
    }
  }
  // A single segment returns its own cached object: callers may compare by identity (no change).
  return sum ?? one ?? NO_AMOUNTS;
}

/** When the member's first-ever entitlement period began, or null. */
export const firstPeriodStart = (timeline: MemberTimeline): number | null => timeline.periods[0]?.start ?? null;
