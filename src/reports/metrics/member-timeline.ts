// One member's history, prepared once (O(their history)) and then read at any instant.
// Hot path: built for every member (100k) and read a dozen times per digest, so the functions use
// plain loops and allocate nothing they do not keep (no per-member closures, copies or sorts).
import type { Policy } from '../../membership/entitlement.ts';
import type { Tier, Tiers } from '../../membership/tiers.ts';
import type { Grant, LifetimePurchase, MemberSources, SubscriptionItem } from './input.ts';
import { addInto, type Amounts, anyPays, NO_AMOUNTS, sharedItemsAmounts } from './money.ts';
import type { Rational } from './rational.ts';
import { contributes, type Segment, subscriptionSegments } from './subscription-segments.ts';

export interface Interval {
  start: number;
  end: number;
}

export interface MemberTimeline {
  user_id: string;
  /** What entitles the member, for the tier at an instant (tierAt). */
  sources: MemberSources;
  /** Entitlement periods: the maximal intervals in which some source gives a tier, in order, never touching. */
  periods: readonly Interval[];
  /**
   * Subscription segments that pay (active, or past_due inside the grace) a non-zero amount. Their
   * exact amounts are worked out on first read (most are never read), once per items list.
   */
  contributions: readonly Segment[];
  /** Entitling subscription segments, for the next renewal. */
  segments: readonly Segment[];
  /** When the member first had a non-zero contribution, or null. */
  firstContributionAt: number | null;
}

const INF = Number.POSITIVE_INFINITY;
/** Shared by the members a source does not concern (never written to). */
const NONE: readonly never[] = [];

/** Like decide(): a subscription gives the highest-rank tier among its prices; none, no entitlement. */
function bestTier(items: readonly SubscriptionItem[], tiers: Tiers): Tier | undefined {
  let best: Tier | undefined;
  for (let i = 0; i < items.length; i++) {
    const tier = tiers.byPrice(items[i]!.price_id);
    if (tier && (!best || tier.rank > best.rank)) best = tier;
  }
  return best;
}

const purchaseEnd = (p: LifetimePurchase): number => (p.status === 'paid' ? INF : p.state_at);
const grantEnd = (g: Grant): number => Math.min(g.until ?? INF, g.revoked_at ?? INF);

/** The intervals in which each source gives a tier (segments themselves, no copies). */
function tieredIntervals(sources: MemberSources, segments: readonly Segment[], tiers: Tiers): Interval[] {
  const out: Interval[] = [];
  for (const s of segments) if (bestTier(s.state.items, tiers)) out.push(s);
  for (const p of sources.lifetime_purchases) if (purchaseEnd(p) > p.purchased_at && tiers.byPrice(p.price_id)) out.push({ start: p.purchased_at, end: purchaseEnd(p) });
  for (const g of sources.grants) if (grantEnd(g) > g.created_at && tiers.byName(g.tier_name)) out.push({ start: g.created_at, end: grantEnd(g) });
  return out;
}

function sortedByStart(intervals: readonly Interval[]): boolean {
  for (let i = 1; i < intervals.length; i++) if (intervals[i]!.start < intervals[i - 1]!.start) return false;
  return true;
}

/** Maximal intervals of the union: touching intervals ([a, b) then [b, c)) make one period. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  // Segments come in time order, so the copy and sort are usually not needed (the sort is stable).
  const sorted = sortedByStart(intervals) ? intervals : [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  let last: Interval | undefined;
  for (const i of sorted) {
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push((last = { start: i.start, end: i.end }));
  }
  return out;
}

const pays = (s: Segment): boolean => contributes(s) && anyPays(s.state.items);

/** The paying segments: the list itself when all pay (the usual member), else a filtered copy. */
function paying(segments: readonly Segment[]): readonly Segment[] {
  let all = true;
  for (let i = 0; i < segments.length && all; i++) all = pays(segments[i]!);
  return all ? segments : segments.filter(pays);
}

export function memberTimeline(sources: MemberSources, tiers: Tiers, policy: Policy): MemberTimeline {
  const segments = sources.subscription_states.length === 0 ? NONE : subscriptionSegments(sources.subscription_states, policy);
  const intervals = tieredIntervals(sources, segments, tiers);
  const contributions = segments.length === 0 ? NONE : paying(segments);
  let firstContributionAt: number | null = null;
  for (const c of contributions) if (firstContributionAt === null || c.start < firstContributionAt) firstContributionAt = c.start;
  return { user_id: sources.user_id, sources, periods: intervals.length === 0 ? NONE : mergeIntervals(intervals), contributions, segments, firstContributionAt };
}

export function entitledAt(timeline: MemberTimeline, t: number): boolean {
  const periods = timeline.periods;
  for (let i = 0; i < periods.length; i++) if (t >= periods[i]!.start && t < periods[i]!.end) return true;
  return false;
}

/** The higher-rank tier of the two; `best` on a tie (the first found explains the tier). */
const higher = (tier: Tier | undefined, best: Tier | undefined): Tier | undefined => (tier !== undefined && (best === undefined || tier.rank > best.rank) ? tier : best);

/** The highest-rank tier entitled at t, or null. */
export function tierAt(timeline: MemberTimeline, tiers: Tiers, t: number): string | null {
  let best: Tier | undefined;
  for (const s of timeline.segments) if (t >= s.start && t < s.end) best = higher(bestTier(s.state.items, tiers), best);
  for (const p of timeline.sources.lifetime_purchases) if (t >= p.purchased_at && t < purchaseEnd(p)) best = higher(tiers.byPrice(p.price_id), best);
  for (const g of timeline.sources.grants) if (t >= g.created_at && t < grantEnd(g)) best = higher(tiers.byName(g.tier_name), best);
  return best?.name ?? null;
}

/**
 * The member's monthly contribution at t, exact, per currency (concurrent subscriptions add up).
 * One paying segment returns the amounts shared by every state with the same items: callers may
 * compare by identity (same object, same amounts).
 */
export function contributionAt(timeline: MemberTimeline, t: number): Amounts {
  let one: Amounts | null = null;
  let sum: Map<string, Rational> | null = null;
  for (const c of timeline.contributions) {
    if (t < c.start || t >= c.end) continue;
    const amounts = sharedItemsAmounts(c.state.items);
    if (one === null && sum === null) one = amounts;
    else {
      sum ??= new Map(one!);
      addInto(sum, amounts);
    }
  }
  return sum ?? one ?? NO_AMOUNTS;
}

/** When the member's first-ever entitlement period began, or null. */
export const firstPeriodStart = (timeline: MemberTimeline): number | null => timeline.periods[0]?.start ?? null;
