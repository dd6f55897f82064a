import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import { activeBetween, AS_OF, ago, grant, H, input, lifetime, member } from './fixtures/metrics-fixtures.ts';

// Cohort k: first-ever period began in [ago 7(k+1), ago 7k).
const members = [
  // Cohort 1 = [ago 14, ago 7)
  member('c1a', { subscription_states: activeBetween('a', ago(10), null) }), //              interacted ago 9: activated; entitled now
  member('c1b', { subscription_states: activeBetween('b', ago(14), ago(8)) }), //            start ago 14 is included; gone; interacted ago 6 only (after start + 7 d)
  member('c1d', { grants: [grant(ago(12), ago(5))], subscription_states: activeBetween('d', ago(2), null) }), // activated ago 12 + 1 h; back and entitled now
  member('c0', { grants: [grant(ago(7), null)] }), //                                        start ago 7 is cohort 0 (this week), in no cohort
  member('rejoin', { grants: [grant(ago(100), ago(90)), grant(ago(10), null)] }), //         first-ever period long ago: in no cohort
  // Cohort 2 = [ago 21, ago 14)
  member('c2a', { subscription_states: activeBetween('c2a', ago(20), ago(10)) }),
  member('c2b', { subscription_states: activeBetween('c2b', ago(15), null) }),
  // Cohort 8 = [ago 63, ago 56): its start is included; ago 64 is no cohort at all.
  member('c8', { lifetime_purchases: [lifetime(ago(63))] }),
  member('c9', { lifetime_purchases: [lifetime(ago(64))] }),
];
const interactions = { c1a: [ago(9)], c1b: [ago(6)], c1d: [ago(12) + H] };

describe('onboarding and retention', () => {
  const m = computeMetrics(input({ members, interactions }), AS_OF);

  it('activation: cohort 1 members with an interaction in their first 7 days', () => {
    expect(m.activation_rate).toBe(2 / 3); // c1a, c1d of c1a, c1b, c1d
  });

  it('week-1 retention: cohort 1 members entitled at asOf', () => {
    expect(m.week1_retention).toBe(2 / 3); // c1a, c1d
  });

  it('cohort retention: 8 cohorts, cohort k has k values, nulls when empty', () => {
    const iso = (days: number) => new Date(ago(days)).toISOString();
    expect(m.cohort_retention).toEqual([
      { cohort_start: iso(14), size: 3, retention: [2 / 3] },
      // r1 at ago 7: c2b only (c2a ended ago 10) = 1/2; r2 at asOf: c2b = 1/2.
      { cohort_start: iso(21), size: 2, retention: [1 / 2, 1 / 2] },
      { cohort_start: iso(28), size: 0, retention: [null, null, null] },
      { cohort_start: iso(35), size: 0, retention: [null, null, null, null] },
      { cohort_start: iso(42), size: 0, retention: [null, null, null, null, null] },
      { cohort_start: iso(49), size: 0, retention: Array(6).fill(null) },
      { cohort_start: iso(56), size: 0, retention: Array(7).fill(null) },
      // r_j at asOf − 7(8 − j) d: ago 49, 42, ..., 0; a lifetime purchase holds throughout.
      { cohort_start: iso(63), size: 1, retention: Array(8).fill(1) },
    ]);
  });

  it('counts an entitlement that ended just before a retention instant as gone', () => {
    // Cohort 2 member whose period ends exactly at ago 7 (half-open: not entitled at ago 7).
    const r = computeMetrics(input({ members: [member('x', { grants: [grant(ago(20), ago(7))] })] }), AS_OF);
    expect(r.cohort_retention[1]!.retention).toEqual([0, 0]);
  });
});
