// Random histories: the MRR movement identity holds exactly, entitlement periods agree with the
// membership policy (decide) at every instant, and every rate is in [0, 1] or null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type GrantFacts, type LifetimeFacts, type SubscriptionFacts } from '../../src/membership/entitlement.ts';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import type { MemberSources, SubscriptionState } from '../../src/reports/metrics/input.ts';
import { contributionAt, entitledAt, memberTimeline } from '../../src/reports/metrics/member-timeline.ts';
import { amountOf } from '../../src/reports/metrics/money.ts';
import { exactMrr } from '../../src/reports/metrics/mrr.ts';
import { add, equals, type Rational, sub, ZERO } from '../../src/reports/metrics/rational.ts';
import { AS_OF, GRACE, H, historyOf, input, item, PRO, state, SUP, T0, TIERS } from './fixtures/metrics-fixtures.ts';

const policy = { gracePeriodMs: GRACE };
// ago 60 d .. in 2 d, with the boundaries themselves (T0, asOf and a grace away from them) often.
const hour = fc.oneof(fc.integer({ min: -60 * 24, max: 2 * 24 }).map((h) => AS_OF + h * H), fc.constantFrom(AS_OF, T0, AS_OF - GRACE, T0 - GRACE, AS_OF - 1, T0 - 1));
const items = fc.constantFrom([SUP], [PRO], [SUP, PRO], [item({ currency: 'eur', interval: 'year', unit_amount: 9999 })], [item({ interval: 'week', unit_amount: 333, quantity: 2 })]);
const status = fc.constantFrom('active', 'active', 'trialing', 'past_due', 'canceled', 'unpaid' as const);

/** A subscription's rows with the invariants the capture keeps (historyOf). */
const subscription = (id: string) =>
  fc.array(fc.record({ at: hour, status, items, cancel: fc.boolean() }), { minLength: 1, maxLength: 4 }).map((raw) => historyOf(id, raw, 40 * 24 * H));

const memberArb = (id: string) =>
  fc.record({
    subs: fc.tuple(subscription(`${id}a`), subscription(`${id}b`)).chain(([a, b]) => fc.constantFrom([], a, [...a, ...b])),
    grants: fc.array(fc.record({ from: hour, days: fc.option(fc.integer({ min: 1, max: 30 })), revoked: fc.option(hour), tier: fc.constantFrom('Supporter', 'Pro') }), { maxLength: 2 }),
    lifetime: fc.array(fc.record({ at: hour, refundedAt: fc.option(hour) }), { maxLength: 1 }),
  }).map((r): MemberSources => ({
    user_id: id,
    subscription_states: r.subs,
    grants: r.grants.map((g) => ({ tier_name: g.tier, created_at: g.from, until: g.days === null ? null : g.from + g.days * 24 * H, revoked_at: g.revoked })),
    lifetime_purchases: r.lifetime.map((l) => ({ price_id: 'price_founder_once', purchased_at: l.at, status: l.refundedAt === null ? 'paid' : 'refunded', state_at: l.refundedAt ?? l.at })),
  }));

const community = fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => memberArb(`u${i}`))));

/** The policy's own view at t: the row in effect per subscription, grants and purchases as they stood. */
function decideAt(m: MemberSources, t: number): boolean {
  const bySub = new Map<string, SubscriptionState[]>();
  for (const s of m.subscription_states) bySub.set(s.subscription_id, [...(bySub.get(s.subscription_id) ?? []), s]);
  const subs: SubscriptionFacts[] = [];
  for (const rows of bySub.values()) {
    const sorted = [...rows].sort((a, b) => a.at - b.at);
    const current = sorted.findLast((s) => s.at <= t) ?? (sorted[0]!.start_date !== null && sorted[0]!.start_date <= t ? sorted[0] : undefined);
    if (!current) continue;
    const endedAt = sorted.findLast((s) => s.ended_at !== null)?.ended_at ?? null;
    subs.push({ id: current.subscription_id, status: current.status, priceIds: current.items.map((i) => i.price_id), cancelAtPeriodEnd: current.cancel_at_period_end, cancelAt: current.cancel_at, currentPeriodEnd: current.current_period_end, trialEnd: current.trial_end, endedAt, pastDueSince: current.past_due_since });
  }
  const lifetime: LifetimeFacts[] = m.lifetime_purchases.filter((p) => p.purchased_at <= t).map((p, i) => ({ id: String(i), priceId: p.price_id, status: p.status !== 'paid' && p.state_at <= t ? p.status : 'paid' }));
  const grants: GrantFacts[] = m.grants.filter((g) => g.created_at <= t).map((g, i) => ({ id: i, tierName: g.tier_name, until: g.until, revokedAt: g.revoked_at !== null && g.revoked_at <= t ? g.revoked_at : null }));
  return decide({ subscriptions: subs, lifetime, grants }, TIERS, t, policy).tier !== null;
}

describe('metric properties', () => {
  it('mrr(asOf) = mrr(asOf − 7d) + new + reactivated + expansion − contraction − churned, exactly, per currency', () => {
    fc.assert(
      fc.property(community, (members) => {
        const timelines = members.map((m) => memberTimeline(m, TIERS, policy));
        const x = exactMrr(timelines, AS_OF);
        const total = (t: number, c: string) => timelines.reduce<Rational>((s, tl) => add(s, amountOf(contributionAt(tl, t), c)), ZERO);
        for (const [c, m] of x.movement) {
          for (const v of Object.values(m)) expect(v.n >= 0n).toBe(true);
          const expected = sub(sub(add(add(add(total(T0, c), m.new), m.reactivated), m.expansion), m.contraction), m.churned);
          expect(equals(expected, total(AS_OF, c))).toBe(true);
          expect(equals(x.after.get(c) ?? ZERO, total(AS_OF, c))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('entitlement periods agree with the membership policy at every instant', () => {
    fc.assert(
      fc.property(memberArb('p'), fc.array(hour, { minLength: 1, maxLength: 10 }), (m, instants) => {
        const tl = memberTimeline(m, TIERS, policy);
        for (const t of [...instants, ...instants.map((i) => i - 1)]) expect(entitledAt(tl, t)).toBe(decideAt(m, t));
      }),
      { numRuns: 300 },
    );
  });

  it('every rate is in [0, 1] or null, never NaN', () => {
    fc.assert(
      fc.property(community, fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), hour), { maxLength: 20 }), (members, acts) => {
        const interactions: Record<string, number[]> = {};
        for (const [i, at] of acts) (interactions[`u${i}`] ??= []).push(at);
        const m = computeMetrics(input({ members, interactions }), AS_OF);
        const rates = [m.logo_churn_rate, m.active_rate, m.stickiness, m.activation_rate, m.week1_retention, ...m.cohort_retention.flatMap((c) => c.retention)];
        for (const r of rates) expect(r === null || (r >= 0 && r <= 1)).toBe(true);
        expect(m.weekly_active_members).toBeLessThanOrEqual(m.monthly_active_members);
      }),
      { numRuns: 200 },
    );
  });
});
