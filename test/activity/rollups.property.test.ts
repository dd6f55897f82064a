// Rollups kept incrementally, in any batches, stay exact against the raw events (fast-check):
// (a) the tables themselves (activity_hourly, activity_member_days) equal a brute-force computation
//     from the events;
// (b) the production readers (chatFigures, loadInteractions) equal brute force for random intervals.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivityCapture } from '../../src/activity/capture.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/activity/rows.ts';
import type { ActivityInput, ActivityKind } from '../../src/activity/sink.ts';
import { connectionReader } from '../../src/db/side-reader.ts';
import { chatFigures } from '../../src/reports/load-chat.ts';
import { loadInteractions } from '../reports/fixtures/load-interactions.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { quietLogger } from './capture-db.ts';

// 22:00 UTC: the span crosses UTC days at T0 + 2 h, + 26 h and + 50 h.
const T0 = Date.UTC(2026, 2, 28, 22, 0, 0);
const SPAN = 50 * HOUR_MS;
const USERS = ['1300000000000009001', '1300000000000009002', '1300000000000009003', '1300000000000009004'];
const KINDS: ActivityKind[] = ['message', 'message', 'reaction', 'command', 'answer', 'join', 'leave', 'rating', 'voice', 'voice'];
/** Stated here, not imported: every kind generated above but joins and leaves is an interaction. */
const isInteraction = (k: ActivityKind) => k !== 'join' && k !== 'leave';

/** An offset from T0: any millisecond (unbiased), or a whole hour (day starts among them), or one ms either side. */
const offset = (maxHours: number) =>
  fc.oneof(
    fc.noBias(fc.integer({ min: 0, max: maxHours * HOUR_MS })),
    fc.integer({ min: 0, max: maxHours }).map((h) => h * HOUR_MS),
    fc.tuple(fc.integer({ min: 1, max: maxHours - 1 }), fc.constantFrom(-1, 1)).map(([h, d]) => h * HOUR_MS + d),
  );
/** Hot hours around the day starts (T0 + 2 h, + 26 h): several batches then meet in one hour row and one day row. */
const hot = fc.tuple(fc.constantFrom(1, 2, 25, 26), fc.noBias(fc.integer({ min: 0, max: HOUR_MS - 1 }))).map(([h, ms]) => h * HOUR_MS + ms);
const arbEvent = fc.record({
  user: fc.constantFrom(...USERS),
  kind: fc.constantFrom(...KINDS),
  at: fc.oneof(offset(50), hot),
  voiceMs: fc.oneof(fc.integer({ min: 1, max: 5 * HOUR_MS }), fc.constantFrom(MINUTE_MS - 1, MINUTE_MS, HOUR_MS)),
});
/**
 * An interval's start: an offset around the span, or (resolved once the events are known) an event's
 * own `at`, one ms either side included, so edges often fall exactly on an event.
 */
type Start = { t: number } | { event: number; d: number };
const arbStart: fc.Arbitrary<Start> = fc.oneof(
  offset(56).map((a) => ({ t: T0 - 3 * HOUR_MS + a })),
  fc.record({ event: fc.nat(), d: fc.constantFrom(-1, 0, 0, 1) }),
);
/** [from, to) anywhere around the span, empty ones included; `end` puts `to` (rather than `from`) on the start. */
const arbInterval = fc.record({
  start: arbStart,
  len: fc.oneof(fc.noBias(fc.integer({ min: 0, max: SPAN })), fc.integer({ min: 0, max: 50 }).map((h) => h * HOUR_MS), fc.constantFrom(1, 2)),
  end: fc.boolean(),
});
/** [from, to) at least a day long, what hasInteraction answers. */
const arbDayInterval = fc.record({
  start: arbStart,
  len: fc.oneof(fc.constant(DAY_MS), fc.noBias(fc.integer({ min: DAY_MS, max: 2 * DAY_MS })), fc.integer({ min: 24, max: 48 }).map((h) => h * HOUR_MS)),
  end: fc.boolean(),
});
type Interval = { start: Start; len: number; end: boolean };
function resolve(i: Interval, events: readonly Ev[]): readonly [number, number] {
  const s = 't' in i.start ? i.start.t : events.length ? events[i.start.event % events.length]!.at + i.start.d : T0;
  return i.end ? [s - i.len, s] : [s, s + i.len];
}

type Ev = { userId: string; kind: ActivityKind; at: number; endAt?: number };
type HourRow = { hour: number; user_id: string; kind: string; count: number; voice_ms: number; first_at: number | null; last_at: number | null };
type DayRow = { day: number; user_id: string; first_at: number; last_at: number };

const startOf = (t: number, unit: number) => t - (t % unit);
const overlap = (e: Ev, from: number, to: number) => (e.endAt === undefined ? 0 : Math.max(0, Math.min(e.endAt, to) - Math.max(e.at, from)));
const byKey = <T extends { user_id: string }>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const hourKey = (r: HourRow) => `${r.hour}|${r.user_id}|${r.kind}`;
const dayKey = (r: DayRow) => `${r.day}|${r.user_id}`;

/** activity_hourly by brute force: counts where `at` falls, voice overlap measured against every hour of the span. */
function bruteHourly(events: readonly Ev[]): HourRow[] {
  const rows = new Map<string, HourRow>();
  const row = (hour: number, user_id: string, kind: string) => {
    const key = hourKey({ hour, user_id, kind } as HourRow);
    if (!rows.has(key)) rows.set(key, { hour, user_id, kind, count: 0, voice_ms: 0, first_at: null, last_at: null });
    return rows.get(key)!;
  };
  for (const e of events) {
    const r = row(startOf(e.at, HOUR_MS), e.userId, e.kind);
    r.count += 1;
    r.first_at = r.first_at === null || e.at < r.first_at ? e.at : r.first_at;
    r.last_at = r.last_at === null || e.at > r.last_at ? e.at : r.last_at;
  }
  for (let hour = T0 - HOUR_MS; hour < T0 + SPAN + 7 * HOUR_MS; hour += HOUR_MS) {
    for (const e of events) {
      const ms = overlap(e, hour, hour + HOUR_MS);
      if (ms > 0) row(hour, e.userId, e.kind).voice_ms += ms;
    }
  }
  return [...rows.values()].sort(byKey(hourKey));
}

/** activity_member_days by brute force: per user and UTC day, the first and last interaction `at`. */
function bruteDays(events: readonly Ev[]): DayRow[] {
  const rows = new Map<string, DayRow>();
  for (const e of events) {
    if (!isInteraction(e.kind)) continue;
    const day = startOf(e.at, DAY_MS);
    const key = dayKey({ day, user_id: e.userId } as DayRow);
    const r = rows.get(key);
    if (!r) rows.set(key, { day, user_id: e.userId, first_at: e.at, last_at: e.at });
    else rows.set(key, { ...r, first_at: Math.min(r.first_at, e.at), last_at: Math.max(r.last_at, e.at) });
  }
  return [...rows.values()].sort(byKey(dayKey));
}

function bruteChat(events: readonly Ev[], from: number, to: number) {
  const inside = (e: Ev) => e.at >= from && e.at < to;
  const messages = events.filter((e) => e.kind === 'message' && inside(e));
  const voiceMs = new Map<string, number>();
  for (const e of events) if (e.kind === 'voice') voiceMs.set(e.userId, (voiceMs.get(e.userId) ?? 0) + overlap(e, from, to));
  const talkers = new Set(messages.map((e) => e.userId));
  for (const [user, ms] of voiceMs) if (ms >= MINUTE_MS) talkers.add(user);
  return { messages: messages.length, communicators: talkers.size };
}

function bruteLatest(events: readonly Ev[], user: string, from: number, to: number): number | null {
  let latest: number | null = null;
  for (const e of events) if (e.userId === user && isInteraction(e.kind) && e.at >= from && e.at < to && (latest === null || e.at > latest)) latest = e.at;
  return latest;
}

describe('rollups kept incrementally stay exact against the raw events (fast-check)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.cleanup());

  it('any events, flushed in any batches, give the brute-force tables and reader answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbEvent, { maxLength: 100, size: 'max' }),
        fc.array(arbInterval, { minLength: 1, maxLength: 6 }),
        fc.array(arbDayInterval, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        async (raw, arbIntervals, arbDayIntervals, batch) => {
          for (const table of ['activity_events', 'activity_hourly', 'activity_member_days'] as const) await t.db.deleteFrom(table).execute();
          const capture = createActivityCapture({ db: t.db, clock: { now: () => T0 }, logger: quietLogger(), maxBatch: batch });
          const events: Ev[] = raw.map((r) => ({ userId: r.user, kind: r.kind, at: T0 + r.at, ...(r.kind === 'voice' ? { endAt: T0 + r.at + r.voiceMs } : {}) }));
          const intervals = arbIntervals.map((i) => resolve(i, events));
          const dayIntervals = arbDayIntervals.map((i) => resolve(i, events));
          for (const e of events) capture.record(e as ActivityInput);
          await capture.stop();

          // (a) The tables.
          const hourly = await t.db.selectFrom('activity_hourly').select(['hour', 'user_id', 'kind', 'count', 'voice_ms', 'first_at', 'last_at']).execute();
          expect([...hourly].sort(byKey(hourKey))).toEqual(bruteHourly(events));
          const days = await t.db.selectFrom('activity_member_days').select(['day', 'user_id', 'first_at', 'last_at']).execute();
          expect([...days].sort(byKey(dayKey))).toEqual(bruteDays(events));

          // (b) The readers.
          for (const [from, to] of intervals) expect(await chatFigures(connectionReader(t.db), { from, to }), `chatFigures [${from}, ${to})`).toEqual(bruteChat(events, from, to));
          const has = dayIntervals.flatMap(([from, to]) => USERS.map((user) => ({ user, from, to })));
          const source = await loadInteractions(t.db, { last: intervals.map(([since, before]) => ({ since, before, users: USERS })), has });
          for (const [from, to] of intervals) {
            for (const user of USERS) expect(source.lastInteractionSince(user, from, to), `latest of ${user} in [${from}, ${to})`).toBe(bruteLatest(events, user, from, to));
          }
          for (const { user, from, to } of has) expect(source.hasInteraction(user, from, to), `${user} in [${from}, ${to})`).toBe(bruteLatest(events, user, from, to) !== null);
        },
      ),
      { numRuns: 100 },
    );
  });
});
