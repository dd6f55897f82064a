// Random histories, random asOf (often mid-hour): the figures computed over SQLite (day and hour
// rollups, raw edge hours) equal digestJson over the same facts held in memory. Event times cluster on the
// instants the definitions cut at (asOf, asOf − 7d, − 14d, − 28d, − 42d, hour starts, each member's
// activation week), one millisecond either side included.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourOf } from '../../src/activity/rows.ts';
import type { ActivityInput, ActivityKind } from '../../src/activity/sink.ts';
import { createComputeDigest } from '../../src/reports/compute-digest.ts';
import { connectionReader } from '../../src/db/side-reader.ts';
import { chatFigures } from '../../src/reports/load-chat.ts';
import { loadInteractions } from './fixtures/load-interactions.ts';
import { digestJson } from '../../src/reports/metrics/compute.ts';
import type { MemberSources } from '../../src/reports/metrics/input.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { clearFacts, type Facts, inMemoryInput, MINUTE, POLICY, writeFacts } from './compute-digest-facts.ts';
import { AS_OF, D, H, historyOf, item, PRO, SUP, TIERS } from './fixtures/metrics-fixtures.ts';

const USERS = ['200000000000000001', '200000000000000002', '200000000000000003', '200000000000000004', '200000000000000005'];
const GUEST = '200000000000000099';

// Unbiased: fast-check's bias would put asOf within milliseconds of an hour start, and the edge hours
// would hardly ever hold events on both sides of the edge.
const asOfArb = fc.oneof(fc.noBias(fc.integer({ min: -3 * H, max: 3 * H })).map((d) => AS_OF + d), fc.constantFrom(AS_OF, AS_OF + 1, AS_OF - 1, AS_OF + 1_234_567));
const itemsArb = fc.constantFrom([SUP], [PRO], [SUP, PRO], [item({ currency: 'eur', interval: 'year', unit_amount: 9999 })]);
const statusArb = fc.constantFrom('active', 'active', 'trialing', 'past_due', 'canceled' as const);

/** Row times: whole hours mostly, sometimes any millisecond, from 70 days back to 2 days ahead. */
const rowTime = fc.oneof(fc.integer({ min: -70 * 24, max: 2 * 24 }).map((h) => AS_OF + h * H), fc.integer({ min: -70 * D, max: 2 * D }).map((d) => AS_OF + d));

const subscriptionArb = (id: string) =>
  fc.array(fc.record({ at: rowTime, status: statusArb, items: itemsArb, cancel: fc.boolean() }), { minLength: 1, maxLength: 3 }).map((raw) => historyOf(id, raw, 9 * D));

const memberArb = (id: string) =>
  fc.record({
    subs: fc.option(subscriptionArb(`sub_${id}`), { freq: 3 }),
    grants: fc.array(fc.record({ from: rowTime, days: fc.option(fc.integer({ min: 1, max: 20 })), revoked: fc.option(rowTime, { freq: 4 }), tier: fc.constantFrom('Supporter', 'Pro') }), { maxLength: 1 }),
    lifetime: fc.array(fc.record({ at: rowTime, refundedAt: fc.option(rowTime, { freq: 3 }) }), { maxLength: 1 }),
  }).map((r): MemberSources => ({
    user_id: id,
    subscription_states: r.subs ?? [],
    grants: r.grants.map((g) => ({ tier_name: g.tier, created_at: g.from, until: g.days === null ? null : g.from + g.days * D, revoked_at: g.revoked })),
    lifetime_purchases: r.lifetime.map((l) => ({ price_id: 'price_founder_once', purchased_at: l.at, status: l.refundedAt === null ? 'paid' : 'refunded', state_at: l.refundedAt ?? l.at })),
  }));

const KINDS: ActivityKind[] = ['message', 'message', 'message', 'reaction', 'voice', 'voice', 'command', 'answer', 'join', 'leave', 'subscription_change'];

/** Instants where a figure cuts, for this asOf and these members (a cohort member's activation week). */
function cuts(asOf: number, members: readonly MemberSources[]): number[] {
  const at = [0, 7, 14, 21, 28, 35, 42, 49].map((d) => asOf - d * D);
  for (const t of [...at]) at.push(hourOf(t), hourOf(t) + H);
  for (const m of members) for (const s of m.subscription_states) at.push(s.at, s.at + 7 * D);
  for (const m of members) for (const g of m.grants) at.push(g.created_at, g.created_at + 7 * D);
  return at;
}

const world = asOfArb.chain((asOf) =>
  fc.tuple(...USERS.map(memberArb)).chain((members) => {
    const delta = fc.constantFrom(-MINUTE, -1_000, -1, 0, 1, 1_000, 30_000);
    const near = fc.tuple(fc.constantFrom(...cuts(asOf, members)), delta).map(([t, d]) => t + d);
    // The week's own edges most often: the partial hours there are where rollups need raw events.
    const edge = fc.tuple(fc.constantFrom(asOf, asOf - 7 * D, asOf - 14 * D), delta).map(([t, d]) => t + d);
    const time = fc.oneof(edge, edge, edge, near, fc.integer({ min: -63 * D, max: D }).map((d) => asOf + d));
    const event = fc.record({
      userId: fc.oneof(fc.constantFrom(USERS[0]!, GUEST), fc.constantFrom(...USERS, GUEST)), kind: fc.constantFrom(...KINDS), at: time, bot: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
      voiceMs: fc.oneof(fc.constantFrom(30_000, 59_999, MINUTE, 61_000, 2 * H), fc.integer({ min: 1, max: 3 * H })),
    }).map(({ voiceMs, ...e }): ActivityInput => (e.kind === 'voice' ? { ...e, endAt: e.at + voiceMs } : e));
    const length = fc.oneof(fc.constantFrom(1, 1_000, 30 * MINUTE, H, D - 1, D, 7 * D, 28 * D), fc.integer({ min: 1, max: 30 * D }));
    const windowArb = fc.record({ from: time, length }).map((w) => ({ from: w.from, to: w.from + w.length }));
    const sinceArb = fc.oneof(fc.constantFrom(0, 1, H, D, 7 * D, 42 * D), fc.integer({ min: 1, max: 60 * D }));
    return fc.record({
      asOf: fc.constant(asOf),
      facts: fc.record({ members: fc.constant(members), activity: fc.array(event, { maxLength: 40 }) }),
      // Questions asked of the loaders directly, some narrower than the digest ever asks.
      instants: fc.array(fc.record({ before: time, reach: sinceArb }), { minLength: 1, maxLength: 4 }),
      windows: fc.array(windowArb, { minLength: 1, maxLength: 4 }),
    });
  }),
);

describe('createComputeDigest over SQLite = digestJson in memory (random histories)', () => {
  let t: TestDatabase;
  beforeAll(async () => void (t = await freshDatabase()));
  afterAll(() => t.cleanup());

  it('gives the same JSON for any history and asOf', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ asOf, facts }: { asOf: number; facts: Facts }) => {
        await clearFacts(t.db);
        await writeFacts(t.db, facts);
        const got = await createComputeDigest(t.db, TIERS, POLICY)(asOf);
        expect(got).toEqual(digestJson(inMemoryInput(facts), asOf));
      }),
      { numRuns: 80 },
    );
  }, 120_000);

  it('answers every activity question exactly as the in-memory sources (chat: narrow windows included)', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ facts, instants, windows }) => {
        await clearFacts(t.db);
        await writeFacts(t.db, facts);
        const expected = inMemoryInput(facts);
        const users = [...USERS, GUEST];
        // Day rows answer windows of at least a day (the digest's are 7 days); shorter ones are refused.
        const long = windows.filter((w) => w.to - w.from >= D);
        const source = await loadInteractions(t.db, {
          last: instants.map((i) => ({ since: i.before - i.reach, before: i.before, users })),
          has: long.flatMap((w) => users.map((user) => ({ user, ...w }))),
        });
        for (const i of instants) {
          for (const u of users) expect([i, u, source.lastInteractionSince(u, i.before - i.reach, i.before)]).toEqual([i, u, expected.interactions.lastInteractionSince(u, i.before - i.reach, i.before)]);
        }
        for (const w of long) for (const u of users) expect([w, u, source.hasInteraction(u, w.from, w.to)]).toEqual([w, u, expected.interactions.hasInteraction(u, w.from, w.to)]);
        for (const w of windows) {
          expect([w, await chatFigures(connectionReader(t.db), w)]).toEqual([w, { messages: expected.chat.messageCount(w.from, w.to), communicators: expected.chat.communicatorCount(w.from, w.to) }]);
        }
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
