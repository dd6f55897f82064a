import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivityCapture } from '../../src/activity/capture.ts';
import { activityIn, communicators, lastInteractionBefore, messagesIn } from '../../src/activity/queries.ts';
import { HOUR_MS, INTERACTION_KINDS, MINUTE_MS } from '../../src/activity/rows.ts';
import type { ActivityInput, ActivityKind } from '../../src/activity/sink.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { quietLogger } from './capture-db.ts';

const T0 = Date.UTC(2026, 2, 28, 22, 0, 0);
const SPAN = 50 * HOUR_MS;
const USERS = ['1300000000000009001', '1300000000000009002', '1300000000000009003', '1300000000000009004'];
const KINDS: ActivityKind[] = ['message', 'reaction', 'command', 'answer', 'join', 'leave', 'rating', 'voice'];

const arbEvent = fc.record({
  user: fc.constantFrom(...USERS),
  kind: fc.constantFrom(...KINDS),
  // Whole-hour instants are common edge cases: bias towards them.
  at: fc.oneof(fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: 50 }).map((h) => h * HOUR_MS)),
  voiceMs: fc.integer({ min: 1, max: 5 * HOUR_MS }),
});
const arbInterval = fc.tuple(fc.integer({ min: -HOUR_MS, max: SPAN + 6 * HOUR_MS }), fc.integer({ min: 0, max: SPAN })).map(([a, len]) => [T0 + a, T0 + a + len] as const);

type Ev = { userId: string; kind: ActivityKind; at: number; endAt?: number };

/** The figures computed by brute force over the events themselves. */
function expected(events: readonly Ev[], from: number, to: number, kinds: readonly ActivityKind[]) {
  const out = new Map<string, { count: number; first: number | null; last: number | null; voiceMs: number; messages: number }>();
  for (const e of events) {
    if (!kinds.includes(e.kind)) continue;
    const m = out.get(e.userId) ?? { count: 0, first: null, last: null, voiceMs: 0, messages: 0 };
    if (e.at >= from && e.at < to) {
      m.count += 1;
      if (e.kind === 'message') m.messages += 1;
      m.first = m.first === null ? e.at : Math.min(m.first, e.at);
      m.last = m.last === null ? e.at : Math.max(m.last, e.at);
    }
    if (e.endAt !== undefined) m.voiceMs += Math.max(0, Math.min(e.endAt, to) - Math.max(e.at, from));
    if (m.count || m.voiceMs) out.set(e.userId, m);
  }
  return out;
}

describe('hourly rollups stay exact against the raw events (fast-check)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.cleanup());

  it('any events, flushed in any batches, give the brute-force figures for any interval', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbEvent, { maxLength: 80 }), fc.array(arbInterval, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 40 }), async (raw, intervals, batch) => {
        for (const table of ['activity_events', 'activity_hourly'] as const) await t.db.deleteFrom(table).execute();
        const capture = createActivityCapture({ db: t.db, clock: { now: () => T0 }, logger: quietLogger(), maxBatch: batch });
        const events: Ev[] = raw.map((r) => ({ userId: r.user, kind: r.kind, at: T0 + r.at, ...(r.kind === 'voice' ? { endAt: T0 + r.at + r.voiceMs } : {}) }));
        for (const e of events) capture.record(e as ActivityInput);
        await capture.stop();

        for (const [from, to] of intervals) {
          const all = await activityIn(t.db, from, to);
          const want = expected(events, from, to, KINDS);
          expect(new Map([...all].map(([id, a]) => [id, { count: a.count, first: a.first, last: a.last, voiceMs: a.voiceMs, messages: a.byKind.message ?? 0 }]))).toEqual(want);

          const interactions = expected(events, from, to, INTERACTION_KINDS);
          const last = await lastInteractionBefore(t.db, to, from);
          expect(last).toEqual(new Map([...interactions].filter(([, m]) => m.last !== null).map(([id, m]) => [id, m.last])));
          expect(await messagesIn(t.db, from, to)).toBe([...want.values()].reduce((n, m) => n + m.messages, 0));
          const talkers = expected(events, from, to, ['message', 'voice']);
          expect(await communicators(t.db, from, to)).toEqual(new Set([...talkers].filter(([, m]) => m.messages > 0 || m.voiceMs >= MINUTE_MS).map(([id]) => id)));
        }
      }),
      { numRuns: 40 },
    );
  });
});
