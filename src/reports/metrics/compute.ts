// The whole digest: every metric at asOf, and the same names at asOf − 7d.
import { atRiskMembers, type Candidate } from './at-risk.ts';
import { onboardingMetrics } from './cohorts.ts';
import { contentMetrics } from './content.ts';
import { engagementMetrics } from './engagement.ts';
import type { MetricsInput } from './input.ts';
import { entitledAt, memberTimeline, type MemberTimeline } from './member-timeline.ts';
import { membershipMetrics } from './membership.ts';
import { mrrMetrics } from './mrr.ts';
import { questionMetrics } from './questions.ts';
import { iso, WEEK } from './time.ts';
import type { DigestJson, Metrics } from './types.ts';

export interface PreparedInput {
  input: MetricsInput;
  timelines: MemberTimeline[];
}

/** Builds each member's timeline once (O(their history)); read it at as many instants as needed. */
export function prepareMetrics(input: MetricsInput): PreparedInput {
  return { input, timelines: input.members.map((m) => memberTimeline(m, input.tiers, input.policy)) };
}

export function metricsAt(prepared: PreparedInput, asOf: number): Metrics {
  const { input, timelines } = prepared;
  const entitled: Candidate[] = timelines
    .filter((tl) => entitledAt(tl, asOf))
    .map((timeline) => ({ timeline, last: input.interactions.lastInteractionBefore(timeline.user_id, asOf) }));
  return {
    ...membershipMetrics(timelines, input.tiers, asOf),
    ...mrrMetrics(timelines, asOf),
    ...engagementMetrics(entitled.map((c) => c.last), input.chat, asOf),
    ...onboardingMetrics(timelines, input.interactions, asOf),
    ...questionMetrics(input.questions, asOf),
    ...contentMetrics(input.challenge_entries, input.posts, asOf),
    at_risk_members: atRiskMembers(entitled, asOf),
  };
}

export function computeMetrics(input: MetricsInput, asOf: number): Metrics {
  return metricsAt(prepareMetrics(input), asOf);
}

/** The JSON of `npm run digest -- --json`. */
export function digestJson(input: MetricsInput, asOf: number): DigestJson {
  const prepared = prepareMetrics(input);
  return { as_of: iso(asOf), metrics: metricsAt(prepared, asOf), previous: metricsAt(prepared, asOf - WEEK) };
}
