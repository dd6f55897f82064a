// The whole digest: every metric at asOf, and the same names at asOf − 7d.
import { atRiskMembers, type Candidate } from './at-risk.ts';
import { onboardingMetrics } from './cohorts.ts';
import { contentMetrics } from './content.ts';
import { engagementMetrics } from './engagement.ts';
import type { InteractionSource, MetricsInput } from './input.ts';
import { entitledAt, memberTimeline, type MemberTimeline } from './member-timeline.ts';
import { membershipMetrics } from './membership.ts';
import { mrrMetrics } from './mrr.ts';
import { questionMetrics } from './questions.ts';
import { DAY, iso, WEEK } from './time.ts';
import type { DigestJson, Metrics } from './types.ts';

export interface PreparedInput {
  input: MetricsInput;
  timelines: MemberTimeline[];
}

/** Each member's timeline, built once (O(their history)); read it at as many instants as needed. */
export function memberTimelines(input: Pick<MetricsInput, 'members' | 'tiers' | 'policy'>): MemberTimeline[] {
  return input.members.map((m) => memberTimeline(m, input.tiers, input.policy));
}

export function prepareMetrics(input: MetricsInput): PreparedInput {
  return { input, timelines: memberTimelines(input) };
}

/**
 * How far back any figure looks for a member's last interaction: at risk's [asOf − 42d, asOf − 14d).
 * Weekly and monthly active need less; so the latest interaction in [asOf − 42d, asOf) serves all.
 */
export const LAST_INTERACTION_REACH = 42 * DAY;

/** The figures that read neither the latest interactions nor chat, at `asOf`, in two groups for the JSON's order. */
export interface StandingFigures {
  asOf: number;
  /** Before engagement. */
  membershipAndMoney: ReturnType<typeof membershipMetrics> & ReturnType<typeof mrrMetrics>;
  /** After engagement. */
  onboardingAndContent: ReturnType<typeof onboardingMetrics> & ReturnType<typeof questionMetrics> & ReturnType<typeof contentMetrics>;
}

export interface StandingInput {
  input: Pick<MetricsInput, 'tiers' | 'questions' | 'challenge_entries' | 'posts'> & { interactions: Pick<InteractionSource, 'hasInteraction'> };
  timelines: readonly MemberTimeline[];
}

/**
 * Every figure but engagement and at risk, which need each member's latest interaction and the chat
 * figures. The digest works these out while its activity reads are still running (compute-digest.ts).
 */
export function standingAt(prepared: StandingInput, asOf: number): StandingFigures {
  const { input, timelines } = prepared;
  return {
    asOf,
    membershipAndMoney: { ...membershipMetrics(timelines, input.tiers, asOf), ...mrrMetrics(timelines, asOf) },
    onboardingAndContent: { ...onboardingMetrics(timelines, input.interactions, asOf), ...questionMetrics(input.questions, asOf), ...contentMetrics(input.challenge_entries, input.posts, asOf) },
  };
}

/** Every figure at asOf; `standing` when standingAt(prepared, asOf) was worked out already. */
export function metricsAt(prepared: PreparedInput, asOf: number, standing = standingAt(prepared, asOf)): Metrics {
  if (standing.asOf !== asOf) throw new Error(`metricsAt: standing figures at ${standing.asOf} given for ${asOf}`);
  const { input, timelines } = prepared;
  const entitled: Candidate[] = [];
  for (const timeline of timelines) {
    if (entitledAt(timeline, asOf)) entitled.push({ timeline, last: input.interactions.lastInteractionSince(timeline.user_id, asOf - LAST_INTERACTION_REACH, asOf) });
  }
  return {
    ...standing.membershipAndMoney,
    ...engagementMetrics(entitled.map((c) => c.last), input.chat, asOf),
    ...standing.onboardingAndContent,
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
