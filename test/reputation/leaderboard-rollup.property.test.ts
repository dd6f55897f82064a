import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PointsSource } from '../../src/db/schema.ts';
import { creditPoints, reversePoints, reversePointsByPrefix } from '../../src/qa/points.ts';
import { rebuildPointsRollup } from '../../src/qa/points-rebuild.ts';
import { leaderboard, leaderboardFromLedger } from '../../src/reputation/leaderboard.ts';
import { startOfZonedMonth } from '../../src/zoned-time.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { monthOf, naiveBoard, naiveRollup, storedRollup } from './leaderboard-naive.ts';

/*
 * Whatever the sequence of credits, retries, reversals (single and by prefix) and out-of-order times,
 * the rollup kept in creditPoints' transaction equals a naive recomputation from the ledger, a full
 * rebuild equals it too, and the board read from the rollup equals the board from a raw GROUP BY.
 * Times cluster around month edges in zones with DST, half- and quarter-hour offsets, and a DST jump
 * at midnight on the 1st (America/Asuncion, 2023-10-01).
 */

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Asuncion'];
const SOURCES: PointsSource[] = ['qa_solution', 'post_approved', 'rating', 'challenge'];
const MEMBERS = ['m1', 'm2', 'm3', 'm4'];
const REFS = ['post:1', 'post:2', 'post:2:rating:7', 'post:2:rating:8', 'q:3', 'c:4'];
const MINUTE = 60_000;

type Op =
  | { kind: 'credit'; member: string; source: PointsSource; ref: string; amount: number; edge: number; minutes: number }
  | { kind: 'reverse'; source: PointsSource; ref: string; edge: number; minutes: number }
  | { kind: 'reversePrefix'; source: PointsSource; prefix: string; edge: number; minutes: number };

const time = { edge: fc.nat({ max: 5 }), minutes: fc.integer({ min: -180, max: 180 }) };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('credit' as const), member: fc.constantFrom(...MEMBERS), source: fc.constantFrom(...SOURCES), ref: fc.constantFrom(...REFS), amount: fc.integer({ min: -5, max: 20 }), ...time }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), source: fc.constantFrom(...SOURCES), ref: fc.constantFrom(...REFS), ...time }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reversePrefix' as const), source: fc.constantFrom(...SOURCES), prefix: fc.constantFrom('post:2:rating:', 'post:', 'q:'), ...time }) },
);

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(async () => {
  await t.cleanup();
});

it('the rollup equals a naive recomputation from the ledger, under any credits and reversals', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ZONES), fc.boolean(), fc.array(opArb, { minLength: 1, maxLength: 25 }), async (zone, inOneTransaction, ops) => {
      const { db } = t;
      await db.deleteFrom('points').execute();
      await rebuildPointsRollup(db, zone, 0);
      // Month edges in the zone, from a DST spring to a DST autumn (and Asuncion's midnight jump).
      const base = zone === 'America/Asuncion' ? Date.UTC(2023, 8, 15) : Date.UTC(2026, 1, 15);
      const edges = Array.from({ length: 6 }, (_, i) => startOfZonedMonth(base, zone, i * (zone === 'America/Asuncion' ? 1 : 2)));
      const at = (o: { edge: number; minutes: number }) => edges[o.edge]! + o.minutes * MINUTE;
      const apply = async (q: typeof db) => {
        for (const op of ops) {
          if (op.kind === 'credit') await creditPoints(q, { memberId: op.member, amount: op.amount, source: op.source, ref: op.ref, at: at(op) });
          else if (op.kind === 'reverse') await reversePoints(q, op.source, op.ref, at(op));
          else await reversePointsByPrefix(q, op.source, op.prefix, at(op));
        }
      };
      if (inOneTransaction) await db.transaction().execute(apply);
      else await apply(db);

      const expected = await naiveRollup(db, zone);
      expect(await storedRollup(db)).toEqual(expected);
      await rebuildPointsRollup(db, zone, 0);
      expect(await storedRollup(db)).toEqual(expected);

      const ledger = await db.selectFrom('points').select('at').execute();
      for (const { at: now } of ledger.slice(0, 3)) {
        for (const source of [undefined, 'rating' as const]) {
          const q = { period: 'month' as const, source, timeZone: zone, now, limit: 10 };
          const board = (await leaderboard(db, q)).map((r) => ({ memberId: r.memberId, points: r.points }));
          expect(board).toEqual(naiveBoard(expected, monthOf(now, zone), source ?? '*'));
          expect(await leaderboardFromLedger(db, q)).toEqual(await leaderboard(db, q));
        }
      }
    }),
    { numRuns: 80 },
  );
});
