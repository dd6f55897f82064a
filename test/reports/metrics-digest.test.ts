import { describe, expect, it } from 'vitest';
import { computeMetrics, digestJson, metricsAt, prepareMetrics, standingAt } from '../../src/reports/metrics/compute.ts';
import type { Metrics } from '../../src/reports/metrics/types.ts';
import { activeBetween, AS_OF, ago, D, grant, input, member } from './fixtures/metrics-fixtures.ts';

// The contract's names, in the contract's order.
const NAMES = [
  'paying_members', 'paying_members_by_tier', 'new_paying_members', 'reactivated_members', 'churned_members', 'logo_churn_rate',
  'mrr', 'mrr_movement',
  'weekly_active_members', 'monthly_active_members', 'active_rate', 'stickiness', 'communicators', 'messages',
  'activation_rate', 'week1_retention', 'cohort_retention',
  'questions_asked', 'questions_answered_share', 'questions_solved_share', 'median_first_answer_minutes', 'median_first_expert_answer_minutes', 'unanswered_over_24h',
  'challenge_entries', 'posts_submitted', 'posts_approved', 'posts_rejected', 'median_review_minutes', 'review_queue',
  'at_risk_members',
];

describe('digest JSON', () => {
  it('gives an empty community zeros and nulls, never NaN', () => {
    const json = digestJson(input(), AS_OF);
    const empty: Metrics = {
      paying_members: 0, paying_members_by_tier: { Founder: 0, Pro: 0, Supporter: 0 }, new_paying_members: 0, reactivated_members: 0, churned_members: 0, logo_churn_rate: null,
      mrr: {}, mrr_movement: {},
      weekly_active_members: 0, monthly_active_members: 0, active_rate: null, stickiness: null, communicators: 0, messages: 0,
      activation_rate: null, week1_retention: null,
      cohort_retention: Array.from({ length: 8 }, (_, i) => ({ cohort_start: new Date(ago(7 * (i + 2))).toISOString(), size: 0, retention: Array(i + 1).fill(null) })),
      questions_asked: 0, questions_answered_share: null, questions_solved_share: null, median_first_answer_minutes: null, median_first_expert_answer_minutes: null, unanswered_over_24h: 0,
      challenge_entries: 0, posts_submitted: 0, posts_approved: 0, posts_rejected: 0, median_review_minutes: null, review_queue: 0,
      at_risk_members: [],
    };
    expect(json.metrics).toEqual(empty);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json); // NaN or undefined would not survive
  });

  it('lays out as_of, metrics and previous (at asOf − 7d) with exactly the contract’s names', () => {
    const inp = input({ members: [member('a', { subscription_states: activeBetween('a', ago(10), ago(3)) }), member('b', { grants: [grant(ago(2), null)] })] });
    const json = digestJson(inp, AS_OF);
    expect(Object.keys(json)).toEqual(['as_of', 'metrics', 'previous']);
    expect(json.as_of).toBe('2026-11-30T09:00:00.000Z');
    expect(Object.keys(json.metrics)).toEqual(NAMES);
    expect(Object.keys(json.previous)).toEqual(NAMES);
    expect(json.previous).toEqual(computeMetrics(inp, AS_OF - 7 * D));
    expect([json.previous.paying_members, json.metrics.paying_members, json.metrics.churned_members]).toEqual([1, 1, 1]);
    expect(json.metrics.mrr_movement).toEqual({ usd: { new: 0, reactivated: 0, churned: 1000, expansion: 0, contraction: 0 } });
  });

  it('gives the same figures, in the same order, worked out in two parts (standingAt first, as the digest does); refuses parts of another instant', () => {
    const prepared = prepareMetrics(input({ members: [member('a', { subscription_states: activeBetween('a', ago(10), ago(3)) }), member('b', { grants: [grant(ago(2), null)] })] }));
    const parts = metricsAt(prepared, AS_OF, standingAt(prepared, AS_OF));
    expect(parts).toEqual(metricsAt(prepared, AS_OF));
    expect(Object.keys(parts)).toEqual(NAMES);
    expect(() => metricsAt(prepared, AS_OF, standingAt(prepared, AS_OF - 7 * D))).toThrow(/standing figures/);
  });
});
