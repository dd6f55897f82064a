// createComputeDigest over a real migrated SQLite file, written through the real write paths (the
// subscription history, the activity capture), against digestJson over the same facts in memory, and
// against figures worked out by hand. asOf is mid-hour, so W's edges cut through hourly rollups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { createComputeDigest } from '../../src/reports/compute-digest.ts';
import { openSideReader } from '../../src/db/side-reader.ts';
import { loadLatestInteractions } from '../../src/reports/load-interactions.ts';
import { loadInteractions } from './fixtures/load-interactions.ts';
import { digestJson } from '../../src/reports/metrics/compute.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { type Facts, inMemoryInput, MINUTE, POLICY, writeFacts } from './compute-digest-facts.ts';
import { AS_OF, D, grant, H, lifetime, member, PRO, state, SUP, TIERS, uid } from './fixtures/metrics-fixtures.ts';

const asOf = AS_OF + 25 * MINUTE;
const from = asOf - 7 * D;
const iso = (t: number) => new Date(t).toISOString();
const [a, b, c, d, e, f, g, k, l] = [uid(1), uid(2), uid(3), uid(4), uid(5), uid(6), uid(7), uid(8), uid(9)];
const [guest, talker, quiet, listener, bot] = [uid(21), uid(22), uid(23), uid(24), uid(31)];
const act = (userId: string, kind: ActivityInput['kind'], at: number, over: Partial<ActivityInput> = {}): ActivityInput => ({ userId, kind, at, ...over });
const voice = (userId: string, at: number, ms: number): ActivityInput => ({ userId, kind: 'voice', at, endAt: at + ms });

const activeSince = (id: string, at: number, over = {}) => state(id, at, { start_date: at, current_period_end: asOf + 20 * D, ...over });
const G0 = asOf - 12 * D + 17 * MINUTE;

const FACTS: Facts = {
  members: [
    // Upgraded mid-week: expansion. Left and rejoined the server: still one member.
    member(a, { subscription_states: [activeSince('sub_a', asOf - 60 * D), activeSince('sub_a', asOf - 3 * D, { items: [PRO] })] }),
    // Past due two days ago: inside the 72 h grace, so still paying; quiet for 20 days: at risk.
    member(b, { subscription_states: [activeSince('sub_b', asOf - 40 * D), activeSince('sub_b', asOf - 2 * D, { status: 'past_due', past_due_since: asOf - 2 * D })] }),
    // Renews in three days; quiet for 30 days: at risk, first in the list.
    member(c, { subscription_states: [activeSince('sub_c', asOf - 50 * D, { current_period_end: asOf + 3 * D })] }),
    // Past due five days ago: past the grace, churned.
    member(d, { subscription_states: [activeSince('sub_d', asOf - 50 * D), activeSince('sub_d', asOf - 5 * D, { status: 'past_due', past_due_since: asOf - 5 * D })] }),
    // A grant that ran out yesterday.
    member(e, { grants: [grant(asOf - 30 * D, asOf - D)] }),
    // Cohort 1 by a grant: active one millisecond before the end of their first week.
    member(f, { grants: [grant(asOf - 10 * D, null, 'Pro')] }),
    // Cohort 1 by a subscription that began mid-hour: active exactly at the end of their first week (too late).
    member(g, { subscription_states: [activeSince('sub_g', G0, { items: [SUP, PRO] })] }),
    // Lifetime, refunded three days ago; and lifetime, quiet for 60 days (older than any scan: found by an index probe).
    member(k, { lifetime_purchases: [lifetime(asOf - 90 * D, { status: 'refunded', state_at: asOf - 3 * D })] }),
    member(l, { lifetime_purchases: [lifetime(asOf - 100 * D)] }),
  ],
  unattributed: [activeSince('sub_nobody', asOf - 20 * D)],
  activity: [
    act(a, 'message', from), act(a, 'message', from - 1), act(a, 'leave', asOf - 2 * D), act(a, 'join', asOf - D),
    act(b, 'reaction', asOf - 20 * D), act(b, 'subscription_change', asOf - D),
    act(c, 'command', asOf - 30 * D), act(c, 'answer', asOf - 45 * D),
    act(d, 'rating', asOf - 3 * D),
    act(f, 'post_submitted', asOf - 3 * D - 1),
    act(g, 'message', G0 - 1), act(g, 'message', G0 + 7 * D),
    act(l, 'reaction', asOf - 60 * D),
    // Both sides of W's start inside one hour; both sides of asOf.
    act(guest, 'message', from - 2 * MINUTE), act(guest, 'message', from + 2 * MINUTE), act(guest, 'message', asOf - 1), act(guest, 'message', asOf), act(guest, 'message', asOf + MINUTE),
    act(bot, 'message', asOf - H, { bot: true }), act(bot, 'message', asOf - 2 * H, { bot: true }),
    // Voice inside W: 40 s + 30 s (a communicator); 59.999 s (not); 30 s at asOf's edge + 31 s at W's start (a communicator).
    voice(talker, from - 40_000, 80_000), voice(talker, asOf - H, 30_000),
    voice(quiet, from - 10 * MINUTE, 10 * MINUTE + 59_999),
    voice(listener, asOf - 30_000, 5 * MINUTE), voice(listener, from - H, H + 31_000),
  ],
};

describe('createComputeDigest (SQLite, real write paths)', () => {
  let t: TestDatabase;
  beforeEach(async () => void (t = await freshDatabase()));
  afterEach(() => t.cleanup());

  it('equals digestJson over the same facts in memory, and the figures worked out by hand', async () => {
    await writeFacts(t.db, FACTS);
    const got = await createComputeDigest(t.db, TIERS, POLICY)(asOf);
    expect(got).toEqual(digestJson(inMemoryInput(FACTS), asOf));
    const m = got.metrics;
    // Paying: a (Pro since the upgrade), b (inside the grace), c, f (Pro grant), g (Supporter + Pro items: Pro), l (lifetime).
    // The subscription linked to nobody counts for nobody.
    expect([m.paying_members, m.paying_members_by_tier]).toEqual([6, { Supporter: 2, Pro: 3, Founder: 1 }]);
    // At asOf − 7d all nine were entitled; d (grace over), e (grant ended) and k (refunded) churned.
    expect([got.previous.paying_members, m.churned_members, m.logo_churn_rate, m.new_paying_members]).toEqual([9, 3, 3 / 9, 0]);
    expect([m.mrr, m.mrr_movement]).toEqual([{ usd: 8000 }, { usd: { new: 0, reactivated: 0, churned: 1000, expansion: 1500, contraction: 0 } }]);
    // Weekly: a (at exactly asOf − 7d), f, g; monthly adds b. Joins, leaves and subscription changes are not interactions.
    expect([m.weekly_active_members, m.monthly_active_members, m.active_rate, m.stickiness]).toEqual([3, 4, 0.5, 0.75]);
    // a, g, and the guest's two inside W (not the one at asOf, not the bot's); talker (70 s) and listener (61 s), not quiet (59.999 s).
    expect([m.messages, m.communicators, got.previous.messages]).toEqual([4, 5, 3]);
    // Cohort 1 is f and g: f active 1 ms before their week ended, g exactly at its end.
    expect([m.activation_rate, m.week1_retention, m.cohort_retention.map((x) => x.size)]).toEqual([0.5, 1, [2, 0, 0, 1, 1, 0, 2, 1]]);
    expect(m.at_risk_members).toEqual([
      { user_id: c, renews_at: iso(asOf + 3 * D), last_interaction_at: iso(asOf - 30 * D) },
      { user_id: b, renews_at: null, last_interaction_at: iso(asOf - 20 * D) },
    ]);
  });

  it('finds the latest interaction before an instant inside its day and its hour, and refuses what it was not asked', async () => {
    const h = asOf - 25 * MINUTE;
    // a: events on both sides of asOf in its hour; b: only before asOf in the hour, and earlier that day;
    // c: only after asOf that day, and the day before; k: only before the lookback.
    await writeFacts(t.db, {
      members: [],
      activity: [
        act(a, 'message', h + 10 * MINUTE), act(a, 'message', h + 20 * MINUTE), act(a, 'message', h + 40 * MINUTE),
        act(b, 'message', h - 3 * H), act(b, 'message', h + 5 * MINUTE), act(b, 'join', h + 6 * MINUTE),
        act(c, 'reaction', asOf - D), act(c, 'message', asOf + 1),
        act(k, 'message', asOf - 43 * D),
      ],
    });
    const source = await loadInteractions(t.db, { last: [{ since: asOf - 42 * D, before: asOf, users: [a, b, c, k, l] }], has: [] });
    expect([a, b, c, k, l].map((u) => source.lastInteractionSince(u, asOf - 42 * D, asOf))).toEqual([h + 20 * MINUTE, h + 5 * MINUTE, asOf - D, null, null]);
    expect(() => source.lastInteractionSince(a, asOf - 41 * D, asOf)).toThrow(/not loaded/);
    expect(() => source.hasInteraction(a, asOf - 7 * D, asOf)).toThrow(/not loaded/);
  });

  it('answers the latest interaction of each user asked, on the side reader, and refuses anyone else', async () => {
    await writeFacts(t.db, FACTS);
    const side = openSideReader(t.db);
    const members = [a, b, c, d, e, f, g, k, l];
    const latest = await loadLatestInteractions(side, [asOf, asOf - 7 * D].map((before) => ({ since: before - 42 * D, before, users: members }))).finally(() => side.close());
    const expected = inMemoryInput(FACTS).interactions;
    for (const u of members) expect([u, latest(u, asOf - 49 * D, asOf - 7 * D)]).toEqual([u, expected.lastInteractionSince(u, asOf - 49 * D, asOf - 7 * D)]);
    for (const u of members) expect([u, latest(u, asOf - 42 * D, asOf)]).toEqual([u, expected.lastInteractionSince(u, asOf - 42 * D, asOf)]);
    expect(latest(l, asOf - 42 * D, asOf)).toBeNull();
    expect(latest(a, asOf - 42 * D, asOf)).toBe(from);
    expect(() => latest(guest, asOf - 42 * D, asOf)).toThrow(/not loaded/);
    expect(() => latest(a, asOf - 41 * D, asOf)).toThrow(/not loaded/);
    expect(() => latest(a, asOf - 42 * D, asOf - D)).toThrow(/not loaded/);
  });

  it('decides "any interaction in a window" from day rows at both edges, and refuses windows shorter than a day', async () => {
    const start = asOf - 10 * D;
    await writeFacts(t.db, { members: [], activity: [act(a, 'message', start - 1), act(a, 'message', start + 7 * D), act(b, 'message', start), act(c, 'message', start + 7 * D - 1), act(d, 'join', start + D)] });
    const window = (user: string) => ({ user, from: start, to: start + 7 * D });
    const source = await loadInteractions(t.db, { last: [], has: [a, b, c, d].map(window) });
    expect([a, b, c, d].map((u) => source.hasInteraction(u, start, start + 7 * D))).toEqual([false, true, true, false]);
    await expect(loadInteractions(t.db, { last: [], has: [{ user: a, from: start, to: start + H }] })).rejects.toThrow(/shorter than a day/);
  });
});
