import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import { entitledAt, memberTimeline } from '../../src/reports/metrics/member-timeline.ts';
import { activeBetween, AS_OF, ago, D, GRACE, grant, H, input, lifetime, member, PRO, state, SUP, T0, TIERS } from './fixtures/metrics-fixtures.ts';

const policy = { gracePeriodMs: GRACE }; // 72 h

// One community exercising every membership rule. W = [T0, AS_OF) = [ago(7), ago(0)).
const members = [
  member('m1-steady', { subscription_states: activeBetween('s1', ago(100), null) }),
  // Rejoin: paid [ago 60, ago 20), came back ago 3 with a new subscription -> reactivated, not new.
  member('m2-rejoin', { subscription_states: [...activeBetween('s2a', ago(60), ago(20)), ...activeBetween('s2b', ago(3), null)] }),
  member('m3-new', { subscription_states: activeBetween('s3', ago(2), null) }),
  member('m4-cancelled', { subscription_states: activeBetween('s4', ago(50), ago(4)) }),
  // A Pro grant that expired a day ago.
  member('m5-grant-expired', { grants: [grant(ago(30), ago(1), 'Pro')] }),
  // past_due a day ago: inside the 72 h grace at AS_OF.
  member('m6-past-due-inside', { subscription_states: [state('s6', ago(40)), state('s6', ago(1), { status: 'past_due', past_due_since: ago(1) })] }),
  // past_due 5 days ago: grace ended ago(2). A retry ago(1) still shows past_due and does not restart it.
  member('m7-past-due-over', {
    subscription_states: [state('s7', ago(40)), state('s7', ago(5), { status: 'past_due', past_due_since: ago(5) }), state('s7', ago(1), { status: 'past_due', past_due_since: ago(5) })],
  }),
  // Two subscriptions at once: counted once, under the higher tier.
  member('m8-concurrent', { subscription_states: [...activeBetween('s8a', ago(60), null, [SUP]), ...activeBetween('s8b', ago(60), null, [PRO])] }),
  member('m9-trial', { subscription_states: [state('s9', ago(3), { status: 'trialing', trial_end: ago(3) + 14 * D })] }),
  member('m10-founder', { lifetime_purchases: [lifetime(ago(200))] }),
  member('m11-refunded', { lifetime_purchases: [lifetime(ago(100), { status: 'refunded', state_at: ago(5) })] }),
];

describe('membership metrics', () => {
  it('counts paying, by tier, new, reactivated and churned members by hand', () => {
    const m = computeMetrics(input({ members }), AS_OF);
    // Entitled at AS_OF: m1 m2 m3 m6 m8 m9 m10 = 7.
    expect(m.paying_members).toBe(7);
    // Supporter: m1 m2 m3 m6 m9; Pro: m8 (its Supporter subscription is not counted again); Founder: m10.
    expect(m.paying_members_by_tier).toEqual({ Founder: 1, Pro: 1, Supporter: 5 });
    // First-ever period began in W: m3 (ago 2), m9 (trial, ago 3).
    expect(m.new_paying_members).toBe(2);
    // A period began in W after an earlier one ended: m2.
    expect(m.reactivated_members).toBe(1);
    // Entitled at T0: m1 m4 m5 m6 m7 m8 m10 m11 = 8; of these not at AS_OF: m4 m5 m7 m11 = 4.
    expect(m.churned_members).toBe(4);
    expect(m.logo_churn_rate).toBe(4 / 8);
  });

  it('keeps a tier in the object at zero and counts grants under their tier', () => {
    const m = computeMetrics(input({ members: [member('g', { grants: [grant(ago(1), null, 'Pro')] })] }), AS_OF);
    expect(m.paying_members_by_tier).toEqual({ Founder: 0, Pro: 1, Supporter: 0 });
    expect(Object.keys(m.paying_members_by_tier)).toEqual(TIERS.list.map((t) => t.name));
  });

  it('holds past_due exactly for the grace measured from past_due_since (half-open)', () => {
    const since = ago(10);
    const tl = memberTimeline(member('p', { subscription_states: [state('s', ago(30)), state('s', since, { status: 'past_due', past_due_since: since }), state('s', since + 48 * H, { status: 'past_due', past_due_since: since })] }), TIERS, policy);
    expect(entitledAt(tl, since + GRACE - 1)).toBe(true);
    expect(entitledAt(tl, since + GRACE)).toBe(false);
    expect(tl.periods).toEqual([{ start: ago(30), end: since + GRACE }]);
  });

  it('ends a grant at its until, and a revoked grant at the revocation', () => {
    const tl = memberTimeline(member('g', { grants: [grant(ago(20), ago(10)), grant(ago(8), null, 'Supporter', ago(6))] }), TIERS, policy);
    expect(tl.periods).toEqual([{ start: ago(20), end: ago(10) }, { start: ago(8), end: ago(6) }]);
  });

  it('joins touching sources into one period: no churn, no reactivation', () => {
    // A grant ends at ago(3), exactly when the subscription starts.
    const m = member('t', { grants: [grant(ago(30), ago(3))], subscription_states: activeBetween('s', ago(3), null) });
    expect(memberTimeline(m, TIERS, policy).periods).toEqual([{ start: ago(30), end: Number.POSITIVE_INFINITY }]);
    const r = computeMetrics(input({ members: [m] }), AS_OF);
    expect([r.reactivated_members, r.churned_members, r.new_paying_members]).toEqual([0, 0, 0]);
  });

  it('counts a period starting exactly at T0 as new; one starting at AS_OF is paying at AS_OF but new next week', () => {
    const members = [member('a', { grants: [grant(T0, null)] }), member('b', { grants: [grant(AS_OF, null)] })];
    const r = computeMetrics(input({ members }), AS_OF);
    expect(r.new_paying_members).toBe(1);
    expect(r.paying_members).toBe(2);
    expect(computeMetrics(input({ members }), AS_OF + 7 * D).new_paying_members).toBe(1);
  });

  it('starts a subscription at start_date when its first state was learned later', () => {
    // Reconciliation learned of it at ago(1); Stripe says it started ago(9), before W.
    const m = member('r', { subscription_states: [state('s', ago(1), { start_date: ago(9) })] });
    expect(computeMetrics(input({ members: [m] }), AS_OF).new_paying_members).toBe(0);
  });

  it('cancelling at the period end stays entitled until then', () => {
    const m = member('c', { subscription_states: [state('s', ago(20)), state('s', ago(5), { cancel_at_period_end: true, current_period_end: ago(2) })] });
    const tl = memberTimeline(m, TIERS, policy);
    expect(tl.periods).toEqual([{ start: ago(20), end: ago(2) }]);
  });

  it('ignores prices that no tier sells, as the membership policy does', () => {
    const m = member('x', { subscription_states: activeBetween('s', ago(5), null, [{ ...SUP, price_id: 'price_other' }]) });
    expect(computeMetrics(input({ members: [m] }), AS_OF).paying_members).toBe(0);
  });
});
