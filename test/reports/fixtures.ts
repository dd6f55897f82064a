// Hand-built DigestJson values: a lively week and an empty community (every rate and median null).
import type { CohortRetention, DigestJson, Metrics } from '../../src/reports/metrics/types.ts';

const DAY = 86_400_000;
/** Monday 2026-11-23 09:00 in Europe/Berlin (08:00 UTC). */
export const AS_OF = Date.UTC(2026, 10, 23, 8);
export const iso = (ms: number) => new Date(ms).toISOString();

export const userId = (n: number) => `13000000000000009${String(n).padStart(2, '0')}`;

function cohorts(asOf: number, sizes: readonly number[]): CohortRetention[] {
  return sizes.map((size, i) => {
    const k = i + 1;
    return {
      cohort_start: iso(asOf - 7 * (k + 1) * DAY),
      size,
      retention: Array.from({ length: k }, (_, j) => (size === 0 ? null : Math.max(0, 1 - 0.08 * (j + 1)))),
    };
  });
}

export function emptyMetrics(asOf: number, tiers: readonly string[] = ['Supporter', 'Pro']): Metrics {
  return {
    paying_members: 0, paying_members_by_tier: Object.fromEntries(tiers.map((t) => [t, 0])), new_paying_members: 0, reactivated_members: 0, churned_members: 0, logo_churn_rate: null,
    mrr: {}, mrr_movement: {},
    weekly_active_members: 0, monthly_active_members: 0, active_rate: null, stickiness: null, communicators: 0, messages: 0,
    activation_rate: null, week1_retention: null, cohort_retention: cohorts(asOf, [0, 0, 0, 0, 0, 0, 0, 0]),
    questions_asked: 0, questions_answered_share: null, questions_solved_share: null, median_first_answer_minutes: null, median_first_expert_answer_minutes: null, unanswered_over_24h: 0,
    challenge_entries: 0, posts_submitted: 0, posts_approved: 0, posts_rejected: 0, median_review_minutes: null, review_queue: 0,
    at_risk_members: [],
  };
}

export function emptyDigest(asOf = AS_OF): DigestJson {
  return { as_of: iso(asOf), metrics: emptyMetrics(asOf), previous: emptyMetrics(asOf - 7 * DAY) };
}

/** `scale` shifts the member counts so a series of weeks differs from week to week. */
export function livelyMetrics(asOf: number, scale = 0, atRisk = 3): Metrics {
  return {
    paying_members: 40 + scale, paying_members_by_tier: { Supporter: 30 + scale, Pro: 10 }, new_paying_members: 5, reactivated_members: 1, churned_members: 2, logo_churn_rate: 0.05,
    mrr: { usd: 123_456, jpy: 5_000 },
    mrr_movement: { usd: { new: 4_500, reactivated: 900, churned: 1_800, expansion: 1_000, contraction: 500 }, jpy: { new: 5_000, reactivated: 0, churned: 0, expansion: 0, contraction: 0 } },
    weekly_active_members: 25 + Math.floor(scale / 2), monthly_active_members: 34, active_rate: 0.625, stickiness: 0.735, communicators: 31, messages: 412,
    activation_rate: 0.8, week1_retention: 1, cohort_retention: cohorts(asOf, [5, 4, 6, 3, 2, 4, 5, 1]),
    questions_asked: 12, questions_answered_share: 0.75, questions_solved_share: 0.5, median_first_answer_minutes: 42, median_first_expert_answer_minutes: 135, unanswered_over_24h: 1,
    challenge_entries: 7, posts_submitted: 4, posts_approved: 3, posts_rejected: 1, median_review_minutes: 3000, review_queue: 2,
    at_risk_members: Array.from({ length: atRisk }, (_, i) => ({
      user_id: userId(i + 1),
      renews_at: i === 0 ? iso(asOf + 2 * DAY) : null,
      last_interaction_at: iso(asOf - (20 + i) * DAY),
    })),
  };
}

export function livelyDigest(asOf = AS_OF, atRisk = 3): DigestJson {
  const previous = livelyMetrics(asOf - 7 * DAY, -3, 1);
  previous.mrr = { usd: 119_356 };
  previous.mrr_movement = {};
  previous.logo_churn_rate = 0.02;
  previous.median_first_answer_minutes = null;
  return { as_of: iso(asOf), metrics: livelyMetrics(asOf, 0, atRisk), previous };
}
