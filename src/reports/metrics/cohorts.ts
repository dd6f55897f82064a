// Weekly cohorts by the start of each member's first-ever entitlement period.
import type { InteractionSource } from './input.ts';
import { entitledAt, firstPeriodStart, type MemberTimeline } from './member-timeline.ts';
import { rate } from './stats.ts';
import { iso, WEEK } from './time.ts';
import type { CohortRetention, Metrics } from './types.ts';

export const COHORTS = 8;

/** Cohort k (1..8): first period began in [asOf − 7(k+1)d, asOf − 7k·d). Index k − 1. */
export function cohortsOf(timelines: readonly MemberTimeline[], asOf: number): MemberTimeline[][] {
  const cohorts: MemberTimeline[][] = Array.from({ length: COHORTS }, () => []);
  for (const tl of timelines) {
    const first = firstPeriodStart(tl);
    if (first === null || first >= asOf) continue;
    // first ∈ [asOf − 7(k+1)d, asOf − 7k·d)  ⇔  asOf − first ∈ (7k·d, 7(k+1)d]
    const k = Math.ceil((asOf - first) / WEEK) - 1;
    if (k >= 1 && k <= COHORTS) cohorts[k - 1]!.push(tl);
  }
  return cohorts;
}

/** r_j = share of cohort k entitled at asOf − 7(k − j)d, j = 1..k; nulls for an empty cohort. */
export function cohortRetention(cohorts: readonly MemberTimeline[][], asOf: number): CohortRetention[] {
  return cohorts.map((members, index) => {
    const k = index + 1;
    const retention = Array.from({ length: k }, (_, i) => {
      const at = asOf - (k - (i + 1)) * WEEK;
      return rate(members.filter((tl) => entitledAt(tl, at)).length, members.length);
    });
    return { cohort_start: iso(asOf - (k + 1) * WEEK), size: members.length, retention };
  });
}

export function onboardingMetrics(timelines: readonly MemberTimeline[], interactions: Pick<InteractionSource, 'hasInteraction'>, asOf: number): Pick<Metrics, 'activation_rate' | 'week1_retention' | 'cohort_retention'> {
  const cohorts = cohortsOf(timelines, asOf);
  const first = cohorts[0]!;
  const activated = first.filter((tl) => {
    const start = firstPeriodStart(tl)!;
    return interactions.hasInteraction(tl.user_id, start, start + WEEK);
  }).length;
  const cohort_retention = cohortRetention(cohorts, asOf);
  return { activation_rate: rate(activated, first.length), week1_retention: cohort_retention[0]!.retention[0]!, cohort_retention };
}
