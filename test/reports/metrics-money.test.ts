import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import { monthlyAmount } from '../../src/reports/metrics/money.ts';
import { rational, roundHalfUp } from '../../src/reports/metrics/rational.ts';
import { activeBetween, AS_OF, ago, D, grant, input, item, member, PRO, state, SUP } from './fixtures/metrics-fixtures.ts';

const exact = (n: number, d: number) => rational(BigInt(n), BigInt(d));

describe('MRR normalisation', () => {
  it('normalises each interval to a month, exactly', () => {
    expect(monthlyAmount(item({ interval: 'month', unit_amount: 1000 }))).toEqual(exact(1000, 1));
    expect(monthlyAmount(item({ interval: 'month', interval_count: 3, unit_amount: 2999 }))).toEqual(exact(2999, 3)); // 999.67
    expect(monthlyAmount(item({ interval: 'year', unit_amount: 10000 }))).toEqual(exact(10000, 12)); // 833.33
    expect(monthlyAmount(item({ interval: 'week', unit_amount: 500 }))).toEqual(exact(500 * 52, 12)); // 2166.67
    expect(monthlyAmount(item({ interval: 'day', unit_amount: 100 }))).toEqual(exact(100 * 365, 12)); // 3041.67
    // 700 × 3 seats every 2 weeks: 2100 × 52 / 24 = 4550.
    expect(monthlyAmount(item({ interval: 'week', interval_count: 2, unit_amount: 700, quantity: 3 }))).toEqual(exact(4550, 1));
  });

  it('gives 0 to an item without a flat amount or an interval', () => {
    expect(monthlyAmount(item({ unit_amount: null }))).toEqual(exact(0, 1));
    expect(monthlyAmount(item({ interval: null }))).toEqual(exact(0, 1));
  });

  it('rounds half-up, never half-even', () => {
    expect([exact(1, 2), exact(3, 2), exact(5, 2), exact(1, 3), exact(2, 3), exact(0, 1)].map(roundHalfUp)).toEqual([1, 2, 3, 0, 1, 0]);
  });

  it('sums exactly and rounds once: three yearly $100 members make $250.00, not 3 × 833', () => {
    const yearly = [item({ price_id: 'price_sup_year', interval: 'year', unit_amount: 10000 })];
    const members = ['a', 'b', 'c'].map((id) => member(id, { subscription_states: activeBetween(id, ago(90), null, yearly) }));
    // 3 × 10000/12 = 2500 exactly; per-member rounding would give 3 × 833 = 2499.
    expect(computeMetrics(input({ members }), AS_OF).mrr).toEqual({ usd: 2500 });
  });

  it('rounds a lone half cent up: $0.06 a year is 0.5 cent a month', () => {
    const m = member('a', { subscription_states: activeBetween('s', ago(90), null, [item({ interval: 'year', unit_amount: 6 })]) });
    expect(computeMetrics(input({ members: [m] }), AS_OF).mrr).toEqual({ usd: 1 });
  });
});

// W = [ago 7, AS_OF). Each member shows one movement; the arithmetic is in the comments.
const members = [
  member('a-steady', { subscription_states: activeBetween('a', ago(60), null) }), //                 1000 -> 1000
  member('b-upgrade', { subscription_states: [state('b', ago(60)), state('b', ago(3), { items: [PRO] })] }), // 1000 -> 2500: expansion 1500
  member('c-downgrade', { subscription_states: [state('c', ago(60), { items: [PRO] }), state('c', ago(2))] }), // 2500 -> 1000: contraction 1500
  member('d-new', { subscription_states: activeBetween('d', ago(1), null) }), //                     0 -> 1000: new
  member('e-back', {
    // paid until ago 30, back ago 2 on a yearly 12000 = 1000/month: reactivated 1000
    subscription_states: [...activeBetween('e1', ago(60), ago(30)), ...activeBetween('e2', ago(2), null, [item({ price_id: 'price_sup_year', interval: 'year', unit_amount: 12000 })])],
  }),
  member('f-gone', { subscription_states: activeBetween('f', ago(60), ago(3), [PRO]) }), //          2500 -> 0: churned 2500
  // Trial (0) converting ago 1: new 1000, since it never paid before.
  member('g-trial', { subscription_states: [state('g', ago(20), { status: 'trialing', trial_end: ago(1) }), state('g', ago(1))] }),
  member('h-two-subs', { subscription_states: [...activeBetween('h1', ago(60), null, [SUP]), ...activeBetween('h2', ago(60), null, [PRO])] }), // 3500 -> 3500
  member('i-past-due-in-grace', { subscription_states: [state('i', ago(60)), state('i', ago(1), { status: 'past_due', past_due_since: ago(1) })] }), // 1000 -> 1000
  member('j-past-due-over', { subscription_states: [state('j', ago(60)), state('j', ago(6), { status: 'past_due', past_due_since: ago(6) })] }), // grace over ago 3: churned 1000
  member('k-granted', { grants: [grant(ago(60), null, 'Pro')] }), //                                  0 -> 0
  member('l-euro-yearly', { subscription_states: activeBetween('l', ago(60), null, [item({ price_id: 'price_sup_year', currency: 'EUR', interval: 'year', unit_amount: 10000 })]) }), // 833.33
  member('m-euro-weekly', { subscription_states: activeBetween('m', ago(1), null, [item({ price_id: 'price_sup_week', currency: 'eur', interval: 'week', unit_amount: 500 })]) }), // new 2166.67
];

describe('MRR and its movement', () => {
  const m = computeMetrics(input({ members }), AS_OF);

  it('adds concurrent subscriptions, counts past_due in grace, and gives trials and grants 0', () => {
    // usd at AS_OF: a 1000 + b 2500 + c 1000 + d 1000 + e 1000 + g 1000 + h 3500 + i 1000 = 12000.
    // eur: 10000/12 + 500 × 52/12 = 36000/12 = 3000 exactly.
    expect(m.mrr).toEqual({ eur: 3000, usd: 12000 });
  });

  it('splits the week’s change into the five movements', () => {
    expect(m.mrr_movement).toEqual({
      // eur new: 26000/12 = 2166.67 -> 2167 (rounded at the end only).
      eur: { new: 2167, reactivated: 0, churned: 0, expansion: 0, contraction: 0 },
      // new: d 1000 + g 1000; churned: f 2500 + j 1000.
      usd: { new: 2000, reactivated: 1000, churned: 3500, expansion: 1500, contraction: 1500 },
    });
    // usd at T0: a 1000 + b 1000 + c 2500 + f 2500 + h 3500 + i 1000 + j 1000 = 12500;
    // 12500 + 2000 + 1000 + 1500 − 1500 − 3500 = 12000.
    expect(computeMetrics(input({ members }), AS_OF - 7 * D).mrr.usd).toBe(12500);
  });

  it('counts a subscription starting exactly at asOf in mrr and as new (half-open: the start is included)', () => {
    const r = computeMetrics(input({ members: [member('x', { subscription_states: activeBetween('x', AS_OF, null) })] }), AS_OF);
    expect([r.mrr, r.mrr_movement]).toEqual([{ usd: 1000 }, { usd: { new: 1000, reactivated: 0, churned: 0, expansion: 0, contraction: 0 } }]);
  });

  it('leaves out a currency with nothing in it', () => {
    expect(computeMetrics(input({ members: [member('k', { grants: [grant(ago(60), null)] })] }), AS_OF)).toMatchObject({ mrr: {}, mrr_movement: {} });
  });

  it('counts a trial as paying with 0 MRR', () => {
    const r = computeMetrics(input({ members: [member('t', { subscription_states: [state('t', ago(2), { status: 'trialing', trial_end: ago(2) + 14 * D })] })] }), AS_OF);
    expect([r.paying_members, r.mrr]).toEqual([1, {}]);
  });
});

describe('the worked example of docs/metrics.md', () => {
  it('gives the figures the page shows', () => {
    const yearly = item({ price_id: 'price_sup_year', interval: 'year', unit_amount: 12000 });
    const members = [
      member('A', { subscription_states: activeBetween('a', ago(60), null) }),
      member('B', { subscription_states: [state('b', ago(60)), state('b', ago(3), { items: [PRO] })] }), // 27 Nov
      member('C', { subscription_states: [state('c', ago(60), { items: [PRO] }), state('c', ago(2))] }), // 28 Nov
      member('D', { subscription_states: [...activeBetween('d1', ago(90), ago(30)), ...activeBetween('d2', ago(2), null, [yearly])] }), // 31 Oct, 28 Nov
      member('E', { subscription_states: [state('e', ago(60), { items: [PRO] }), state('e', ago(6), { items: [PRO], status: 'past_due', past_due_since: ago(6) })] }), // 24 Nov
    ];
    expect(new Date(ago(6)).toISOString()).toBe('2026-11-24T09:00:00.000Z');
    const m = computeMetrics(input({ members }), AS_OF);
    expect(computeMetrics(input({ members }), AS_OF - 7 * D).mrr).toEqual({ usd: 7000 });
    expect(m.mrr).toEqual({ usd: 5500 });
    expect(m.mrr_movement).toEqual({ usd: { new: 0, reactivated: 1000, churned: 2500, expansion: 1500, contraction: 1500 } });
    expect([m.paying_members, m.churned_members, m.reactivated_members, m.logo_churn_rate]).toEqual([4, 1, 1, 0.25]);
  });
});
