import { describe, expect, it } from 'vitest';
import type { SubscriptionStatus } from '../../src/db/schema.ts';
import { decide, entitlementOf, roleDiff, type Entitlement, type GrantFacts, type LifetimeFacts, type SubscriptionFacts } from '../../src/membership/entitlement.ts';
import { parseTiers } from '../../src/membership/tiers.ts';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';

const H = 3_600_000;
const D = 24 * H;
const NOW = 1_800_000_000_000;
const GRACE = 72 * H;
const policy = { gracePeriodMs: GRACE };

// Expected outcomes, written out (not computed) so the table reads as the policy.
const A: Entitlement = { entitled: true, state: 'active', until: null };
const T: Entitlement = { entitled: true, state: 'trialing', until: null };
const C = (until: number): Entitlement => ({ entitled: true, state: 'canceling', until });
const P: Entitlement = { entitled: true, state: 'past_due', until: NOW + 1 };
const X = (reason: string): Entitlement => ({ entitled: false, reason });

// Where the current period ends relative to now. `at`: the instant it ends (half-open: no longer inside).
const PERIOD = { inside: NOW + 10 * D, at: NOW, outside: NOW - H } as const;
// When past_due began. Grace is [since, since + GRACE): `at` puts now exactly on its end.
const SINCE = { inside: NOW - GRACE + 1, at: NOW - GRACE, after: NOW - GRACE - 1, unknown: null } as const;

const sub = (over: Partial<SubscriptionFacts>): SubscriptionFacts => ({
  id: 'sub_1',
  status: 'active',
  priceIds: [SANDBOX_PRICES.supporter],
  cancelAtPeriodEnd: false,
  cancelAt: null,
  currentPeriodEnd: PERIOD.inside,
  trialEnd: null,
  endedAt: null,
  pastDueSince: null,
  ...over,
});

type Cols = [Entitlement, Entitlement, Entitlement, Entitlement, Entitlement, Entitlement];
//   columns:  cancel_at_period_end = false: period inside / at / outside | = true: inside / at / outside
const BY_STATUS: Record<Exclude<SubscriptionStatus, 'past_due'>, Cols> = {
  active: [A, A, A, C(PERIOD.inside), X('ended'), X('ended')],
  trialing: [T, T, T, C(PERIOD.inside), X('ended'), X('ended')],
  canceled: [X('canceled'), X('canceled'), X('canceled'), X('canceled'), X('canceled'), X('canceled')],
  unpaid: [X('unpaid'), X('unpaid'), X('unpaid'), X('unpaid'), X('unpaid'), X('unpaid')],
  incomplete: [X('incomplete'), X('incomplete'), X('incomplete'), X('incomplete'), X('incomplete'), X('incomplete')],
  incomplete_expired: [X('incomplete_expired'), X('incomplete_expired'), X('incomplete_expired'), X('incomplete_expired'), X('incomplete_expired'), X('incomplete_expired')],
  paused: [X('paused'), X('paused'), X('paused'), X('paused'), X('paused'), X('paused')],
};
// past_due: the grace period governs, whatever the period and cancel flag say.
const PAST_DUE: Record<keyof typeof SINCE, Cols> = {
  inside: [P, P, P, P, P, P],
  at: [X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over')],
  after: [X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over'), X('grace_period_over')],
  // We stamp past_due_since on the first past_due we store; a row without it is treated strictly.
  unknown: [X('past_due'), X('past_due'), X('past_due'), X('past_due'), X('past_due'), X('past_due')],
};
const show = (e: Entitlement) => (e.entitled ? `${e.state}${e.until === null ? '' : ` until ${e.until - NOW >= 0 ? 'now+' : 'now'}${e.until - NOW}ms`}` : `not entitled (${e.reason})`);
const COLUMNS = [false, true].flatMap((cape) => (['inside', 'at', 'outside'] as const).map((period) => ({ cape, period })));

const statusRows = Object.entries(BY_STATUS).flatMap(([status, cols]) => COLUMNS.map((c, i) => ({ status: status as SubscriptionStatus, ...c, since: 'unknown' as const, expected: cols[i]!, shows: show(cols[i]!) })));
const pastDueRows = Object.entries(PAST_DUE).flatMap(([since, cols]) => COLUMNS.map((c, i) => ({ status: 'past_due' as const, ...c, since: since as keyof typeof SINCE, expected: cols[i]!, shows: show(cols[i]!) })));

describe('entitlementOf: the policy table', () => {
  it.each([...statusRows, ...pastDueRows])('$status, cancel_at_period_end=$cape, period $period, past_due since $since -> $shows', ({ status, cape, period, since, expected }) => {
    const facts = sub({ status, cancelAtPeriodEnd: cape, cancelAt: cape ? PERIOD[period] : null, currentPeriodEnd: PERIOD[period], pastDueSince: SINCE[since] });
    expect(entitlementOf(facts, NOW, policy)).toEqual(expected);
  });

  // ended_at in the past (or now) ends access for every status; a future one changes nothing yet.
  const ENDED: Record<SubscriptionStatus, Entitlement> = {
    active: A, trialing: T, past_due: P, canceled: X('canceled'), unpaid: X('unpaid'), incomplete: X('incomplete'), incomplete_expired: X('incomplete_expired'), paused: X('paused'),
  };
  it.each(Object.entries(ENDED).flatMap(([status, future]) => [
    { status: status as SubscriptionStatus, when: 'before now', endedAt: NOW - 1, expected: X('ended') },
    { status: status as SubscriptionStatus, when: 'now', endedAt: NOW, expected: X('ended') },
    { status: status as SubscriptionStatus, when: 'in an hour', endedAt: NOW + H, expected: future },
  ].map((r) => ({ ...r, shows: show(r.expected) }))))('$status with ended_at $when -> $shows', ({ status, endedAt, expected }) => {
    expect(entitlementOf(sub({ status, endedAt, pastDueSince: SINCE.inside }), NOW, policy)).toEqual(expected);
  });

  it.each([
    { label: 'active, cancel_at in 5 days (no period-end flag)', facts: { cancelAt: NOW + 5 * D }, expected: C(NOW + 5 * D) },
    { label: 'active, cancel_at now', facts: { cancelAt: NOW }, expected: X('ended') },
    { label: 'active, cancel_at passed', facts: { cancelAt: NOW - 1 }, expected: X('ended') },
    { label: 'cancel_at wins over the period end', facts: { cancelAt: NOW + D, cancelAtPeriodEnd: true }, expected: C(NOW + D) },
    { label: 'trialing, cancel_at at the trial end', facts: { status: 'trialing' as const, trialEnd: NOW + 7 * D, cancelAt: NOW + 7 * D }, expected: C(NOW + 7 * D) },
    { label: 'trialing past its trial_end (Stripe has not moved it yet): status governs', facts: { status: 'trialing' as const, trialEnd: NOW - H }, expected: T },
    { label: 'past_due with a zero grace period', facts: { status: 'past_due' as const, pastDueSince: NOW }, expected: X('grace_period_over'), grace: 0 },
  ])('$label', ({ facts, expected, grace }) => {
    expect(entitlementOf(sub(facts), NOW, { gracePeriodMs: grace ?? GRACE })).toEqual(expected);
  });
});

describe('decide: one tier from every source', () => {
  const tiers = parseTiers(SANDBOX_TIERS);
  const none = { subscriptions: [], lifetime: [], grants: [] };
  const paid = (id: string, priceId: string, status: LifetimeFacts['status'] = 'paid'): LifetimeFacts => ({ id, priceId, status });
  const grant = (over: Partial<GrantFacts>): GrantFacts => ({ id: 1, tierName: 'Pro', until: null, revokedAt: null, ...over });

  it('takes the highest rank across subscriptions and their items', () => {
    const d = decide({ ...none, subscriptions: [sub({ id: 'a', priceIds: [SANDBOX_PRICES.supporter] }), sub({ id: 'b', priceIds: [SANDBOX_PRICES.supporterYearly, SANDBOX_PRICES.pro] })] }, tiers, NOW, policy);
    expect(d).toMatchObject({ tier: { name: 'Pro' }, via: { kind: 'subscription', id: 'b' }, roleIds: [SAMPLE.roles.pro], expiresAt: null });
  });

  it('ignores prices of no tier, and subscriptions that do not entitle', () => {
    expect(decide({ ...none, subscriptions: [sub({ priceIds: ['price_somebody_else'] })] }, tiers, NOW, policy)).toEqual({ tier: null, via: null, roleIds: [], expiresAt: null });
    const d = decide({ ...none, subscriptions: [sub({ id: 'x', priceIds: ['price_unknown', SANDBOX_PRICES.supporter] }), sub({ id: 'y', status: 'canceled', priceIds: [SANDBOX_PRICES.pro] })] }, tiers, NOW, policy);
    expect(d).toMatchObject({ tier: { name: 'Supporter' }, roleIds: [SAMPLE.roles.member] });
  });

  it('counts a paid lifetime purchase, never a refunded or disputed one', () => {
    expect(decide({ ...none, lifetime: [paid('cs_1', SANDBOX_PRICES.founder)] }, tiers, NOW, policy)).toMatchObject({ tier: { name: 'Founder' }, via: { kind: 'lifetime', id: 'cs_1' }, expiresAt: null });
    for (const status of ['refunded', 'disputed'] as const) {
      expect(decide({ ...none, lifetime: [paid('cs_1', SANDBOX_PRICES.founder, status)] }, tiers, NOW, policy).tier).toBeNull();
    }
  });

  it('counts grants until they expire or are revoked; a grant of an unknown tier counts for nothing', () => {
    expect(decide({ ...none, grants: [grant({ until: NOW + D })] }, tiers, NOW, policy)).toMatchObject({ tier: { name: 'Pro' }, via: { kind: 'grant', id: '1' }, expiresAt: NOW + D });
    expect(decide({ ...none, grants: [grant({ until: NOW })] }, tiers, NOW, policy).tier).toBeNull();
    expect(decide({ ...none, grants: [grant({ revokedAt: NOW - D })] }, tiers, NOW, policy).tier).toBeNull();
    expect(decide({ ...none, grants: [grant({ tierName: 'Platinum' })] }, tiers, NOW, policy).tier).toBeNull();
  });

  it('expires at the earliest lapse of anything that entitles, even a lower tier', () => {
    const pastDue = sub({ id: 's', status: 'past_due', pastDueSince: NOW - H, priceIds: [SANDBOX_PRICES.supporter] });
    const d = decide({ ...none, subscriptions: [pastDue], grants: [grant({ until: NOW + 30 * D })] }, tiers, NOW, policy);
    expect(d).toMatchObject({ tier: { name: 'Pro' }, expiresAt: NOW - H + GRACE });
    const canceling = sub({ cancelAtPeriodEnd: true, currentPeriodEnd: NOW + 2 * D, priceIds: [SANDBOX_PRICES.pro] });
    expect(decide({ ...none, subscriptions: [canceling], grants: [grant({ tierName: 'Supporter', until: NOW + 5 * D })] }, tiers, NOW, policy)).toMatchObject({ tier: { name: 'Pro' }, expiresAt: NOW + 2 * D });
    expect(decide({ ...none, subscriptions: [sub({}), canceling], lifetime: [paid('cs', SANDBOX_PRICES.founder)] }, tiers, NOW, policy)).toMatchObject({ tier: { name: 'Founder' }, expiresAt: NOW + 2 * D });
  });

  it('among sources of the same tier, names the one that lasts longest', () => {
    const d = decide({ ...none, subscriptions: [sub({ id: 'ending', cancelAtPeriodEnd: true, priceIds: [SANDBOX_PRICES.pro] })], grants: [grant({ until: null })] }, tiers, NOW, policy);
    expect(d.via).toMatchObject({ kind: 'grant' });
    expect(d.expiresAt).toBe(PERIOD.inside);
  });
});

describe('roleDiff: only managed roles move', () => {
  const managed = new Set([SAMPLE.roles.member, SAMPLE.roles.pro, SAMPLE.roles.founder]);
  it.each([
    { label: 'tier change', desired: [SAMPLE.roles.pro], actual: [SAMPLE.roles.member], add: [SAMPLE.roles.pro], remove: [SAMPLE.roles.member] },
    { label: 'unmanaged roles are never removed', desired: [], actual: [SAMPLE.roles.moderator, SAMPLE.roles.admin, SAMPLE.roles.founder], add: [], remove: [SAMPLE.roles.founder] },
    { label: 'unmanaged roles are never added', desired: [SAMPLE.roles.admin, SAMPLE.roles.member], actual: [], add: [SAMPLE.roles.member], remove: [] },
    { label: 'nothing to do', desired: [SAMPLE.roles.pro], actual: [SAMPLE.roles.pro, SAMPLE.roles.moderator], add: [], remove: [] },
    { label: 'sorted and de-duplicated', desired: [SAMPLE.roles.pro, SAMPLE.roles.founder, SAMPLE.roles.pro], actual: [], add: [SAMPLE.roles.pro, SAMPLE.roles.founder].sort(), remove: [] },
  ])('$label', ({ desired, actual, add, remove }) => {
    expect(roleDiff(desired, actual, managed)).toEqual({ add, remove });
  });
});
