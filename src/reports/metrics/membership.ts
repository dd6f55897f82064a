// Member counts: paying (entitled) members, by tier, new, reactivated and churned.
import type { Tiers } from '../../membership/tiers.ts';
import { entitledAt, firstPeriodStart, type MemberTimeline, tierAt } from './member-timeline.ts';
import { rate } from './stats.ts';
import { WEEK, within } from './time.ts';
import type { Metrics } from './types.ts';

type MembershipMetrics = Pick<Metrics, 'paying_members' | 'paying_members_by_tier' | 'new_paying_members' | 'reactivated_members' | 'churned_members' | 'logo_churn_rate'>;

/** Periods never touch, so any period after the first began after an earlier one ended. */
function reactivatedWithin(tl: MemberTimeline, from: number, to: number): boolean {
  for (let i = 1; i < tl.periods.length; i++) if (within(tl.periods[i]!.start, from, to)) return true;
  return false;
}

export function membershipMetrics(timelines: readonly MemberTimeline[], tiers: Tiers, asOf: number): MembershipMetrics {
  const weekStart = asOf - WEEK;
  // Every tier of the tiers file, zeros included, in the file's order (highest rank first).
  const byTier: Record<string, number> = Object.fromEntries(tiers.list.map((t) => [t.name, 0]));
  let paying = 0;
  let entitledWeekStart = 0;
  let churned = 0;
  let fresh = 0;
  let reactivated = 0;
  for (const tl of timelines) {
    const now = entitledAt(tl, asOf);
    const before = entitledAt(tl, weekStart);
    if (now) {
      paying++;
      const tier = tierAt(tl, tiers, asOf);
      if (tier !== null) byTier[tier] = (byTier[tier] ?? 0) + 1;
    }
    if (before) entitledWeekStart++;
    if (before && !now) churned++;
    const first = firstPeriodStart(tl);
    if (first !== null && within(first, weekStart, asOf)) fresh++;
    if (reactivatedWithin(tl, weekStart, asOf)) reactivated++;
  }
  return {
    paying_members: paying,
    paying_members_by_tier: byTier,
    new_paying_members: fresh,
    reactivated_members: reactivated,
    churned_members: churned,
    logo_churn_rate: rate(churned, entitledWeekStart),
  };
}
