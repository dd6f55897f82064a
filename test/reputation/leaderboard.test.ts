import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PointsSource } from '../../src/db/schema.ts';
import { creditPoints, reversePoints } from '../../src/qa/points.ts';
import { rebuildPointsRollup, syncPointsRollup } from '../../src/qa/points-rebuild.ts';
import { leaderboard, leaderboardFromLedger, rankOf, type BoardQuery } from '../../src/reputation/leaderboard.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { naiveRollup, storedRollup } from './leaderboard-naive.ts';

const at = (iso: string) => Date.parse(iso);
let t: TestDatabase;
beforeEach(async () => {
  t = await freshDatabase();
});
afterEach(async () => {
  await t.cleanup();
});

const credit = (memberId: string, amount: number, when: string, ref: string, source: PointsSource = 'challenge') =>
  creditPoints(t.db, { memberId, amount, source, ref, at: at(when) });
const board = async (q: Partial<BoardQuery> & { now: number; timeZone: string }) =>
  (await leaderboard(t.db, { period: 'month', limit: 10, ...q })).map((r) => [r.memberId, r.points]);

describe('tie-breaking', () => {
  it('orders equal points by the earlier accepted submission, then by member id', async () => {
    await credit('late', 10, '2026-11-05T10:00:00Z', 'challenge:1:entry:1');
    await credit('early', 10, '2026-11-03T10:00:00Z', 'challenge:1:entry:2');
    await credit('top', 15, '2026-11-09T10:00:00Z', 'challenge:1:entry:3');
    await credit('b-same', 10, '2026-11-04T10:00:00Z', 'challenge:1:entry:4');
    await credit('a-same', 10, '2026-11-04T10:00:00Z', 'challenge:1:entry:5');
    const q = { now: at('2026-11-20T00:00:00Z'), timeZone: 'UTC' };
    expect(await board(q)).toEqual([['top', 15], ['early', 10], ['a-same', 10], ['b-same', 10], ['late', 10]]);
    const ranks = await Promise.all(['top', 'early', 'a-same', 'b-same', 'late'].map(async (m) => (await rankOf(t.db, m, { period: 'month', ...q }))?.rank));
    expect(ranks).toEqual([1, 2, 3, 4, 5]);
    expect(await rankOf(t.db, 'nobody', { period: 'month', ...q })).toBeNull();
  });

  it('counts when the total was reached: a second win moves a member later, a revised verdict does not', async () => {
    await credit('ada', 10, '2026-11-02T10:00:00Z', 'challenge:1:entry:1:seq:1');
    await credit('bob', 10, '2026-11-03T10:00:00Z', 'challenge:1:entry:2:seq:1');
    // A judge revises Ada's verdict days later: reversed, then re-credited under a fresh ref at the entry's time.
    await reversePoints(t.db, 'challenge', 'challenge:1:entry:1:seq:1', at('2026-11-08T10:00:00Z'));
    await credit('ada', 10, '2026-11-02T10:00:00Z', 'challenge:1:entry:1:seq:2');
    const q = { now: at('2026-11-20T00:00:00Z'), timeZone: 'UTC' };
    expect(await board(q)).toEqual([['ada', 10], ['bob', 10]]);
    await credit('bob', 5, '2026-11-10T10:00:00Z', 'challenge:2:entry:3');
    await credit('ada', 5, '2026-11-11T10:00:00Z', 'challenge:2:entry:4');
    expect(await board(q)).toEqual([['bob', 15], ['ada', 15]]);
  });
});

describe('monthly rollover in the community zone', () => {
  it('Europe/Berlin: the spring DST month ends at 22:00 UTC, the autumn one at 23:00 UTC', async () => {
    const tz = 'Europe/Berlin';
    await syncPointsRollup(t.db, tz, 0);
    await credit('march', 5, '2026-03-31T21:59:59Z', 'a'); // 23:59:59 CEST, 31 March
    await credit('april', 5, '2026-03-31T22:00:00Z', 'b'); // 00:00 CEST, 1 April
    await credit('october', 5, '2026-10-25T00:30:00Z', 'c'); // 02:30 CEST, before the clocks go back
    await credit('october', 5, '2026-10-25T01:30:00Z', 'd'); // 02:30 CET, the repeated hour
    await credit('october', 1, '2026-10-31T22:59:59Z', 'e'); // 23:59:59 CET
    await credit('november', 5, '2026-10-31T23:00:00Z', 'f'); // 00:00 CET, 1 November
    expect(await board({ now: at('2026-03-15T12:00:00Z'), timeZone: tz })).toEqual([['march', 5]]);
    expect(await board({ now: at('2026-04-15T12:00:00Z'), timeZone: tz })).toEqual([['april', 5]]);
    expect(await board({ now: at('2026-10-31T22:59:59Z'), timeZone: tz })).toEqual([['october', 11]]);
    expect(await board({ now: at('2026-10-31T23:00:00Z'), timeZone: tz })).toEqual([['november', 5]]);
  });

  it('America/New_York: November starts at 04:00 UTC, on the day the clocks go back', async () => {
    const tz = 'America/New_York';
    await syncPointsRollup(t.db, tz, 0);
    await credit('october', 5, '2026-11-01T03:59:00Z', 'a'); // 23:59 EDT, 31 October
    await credit('november', 5, '2026-11-01T04:00:00Z', 'b'); // 00:00 EDT
    await credit('november', 5, '2026-11-01T05:30:00Z', 'c'); // 01:30 EDT
    await credit('november', 5, '2026-11-01T06:30:00Z', 'd'); // 01:30 EST, again
    expect(await board({ now: at('2026-10-20T00:00:00Z'), timeZone: tz })).toEqual([['october', 5]]);
    expect(await board({ now: at('2026-11-30T12:00:00Z'), timeZone: tz })).toEqual([['november', 15]]);
  });

  it('follows a change of REPORT_TIMEZONE: startup rebuilds, and another zone reads the ledger directly', async () => {
    await credit('ada', 5, '2026-10-31T18:29:00Z', 'a'); // 23:59 IST, 31 October
    await credit('bob', 7, '2026-10-31T18:30:00Z', 'b'); // 00:00 IST, 1 November
    const nov = { now: at('2026-11-10T00:00:00Z'), timeZone: 'Asia/Kolkata' };
    // Built in UTC (the migration's default): Kolkata boards are computed from the ledger, still exact.
    expect(await board(nov)).toEqual([['bob', 7]]);
    expect(await board({ ...nov, timeZone: 'UTC' })).toEqual([]);
    expect(await syncPointsRollup(t.db, 'Asia/Kolkata', 1)).toMatchObject({ rebuilt: true, reason: 'zone' });
    expect(await syncPointsRollup(t.db, 'Asia/Kolkata', 2)).toMatchObject({ rebuilt: false, reason: 'current' });
    expect(await t.db.selectFrom('points_rollup').select('period').where('member_id', '=', 'bob').where('source', '=', '*').orderBy('period').execute())
      .toEqual([{ period: '2026-11' }, { period: 'all' }]);
    expect(await board(nov)).toEqual([['bob', 7]]);
    expect(await board({ ...nov, now: at('2026-10-10T00:00:00Z') })).toEqual([['ada', 5]]);
  });
});

describe('keeping the rollup true to the ledger', () => {
  it('a reversal in a later month cancels the credit where it was earned, never making a negative month', async () => {
    await credit('ada', 10, '2026-10-30T12:00:00Z', 'post:1', 'post_approved');
    await reversePoints(t.db, 'post_approved', 'post:1', at('2026-11-02T12:00:00Z'));
    expect(await board({ now: at('2026-10-30T13:00:00Z'), timeZone: 'UTC' })).toEqual([]);
    expect(await t.db.selectFrom('points_rollup').select(['period', 'total']).where('source', '=', '*').orderBy('period').execute()).toEqual([
      { period: '2026-10', total: 0 },
      { period: 'all', total: 0 },
    ]);
  });

  it('is written in the caller\'s transaction: a rollback leaves both ledger and rollup untouched', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await creditPoints(trx, { memberId: 'ada', amount: 5, source: 'rating', ref: 'r', at: 1 });
        throw new Error('the rest of the decision failed');
      }),
    ).rejects.toThrow('failed');
    expect(await t.db.selectFrom('points_rollup').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('points_rollup_state').select(['ledger_rows', 'last_id']).executeTakeFirst()).toEqual({ ledger_rows: 0, last_id: 0 });
  });

  it('startup catches up with ledger rows written around creditPoints (e.g. Q&A points from before the rollup)', async () => {
    await credit('ada', 5, '2026-11-01T10:00:00Z', 'a', 'qa_solution');
    await t.db.insertInto('points').values({ member_id: 'bob', amount: 9, source: 'qa_solution', ref: 'old', at: at('2026-11-01T09:00:00Z') }).execute();
    expect(await syncPointsRollup(t.db, 'UTC', 5)).toMatchObject({ rebuilt: true, reason: 'behind', ledgerRows: 2 });
    expect(await storedRollup(t.db)).toEqual(await naiveRollup(t.db, 'UTC'));
    expect(await board({ now: at('2026-11-02T00:00:00Z'), timeZone: 'UTC', period: 'all', source: 'qa_solution' })).toEqual([['bob', 9], ['ada', 5]]);
  });

  it('refuses to reverse a reversal (re-credit under a fresh ref instead)', async () => {
    await expect(reversePoints(t.db, 'rating', 'post:1:reversed', 1)).rejects.toThrow(/fresh ref/);
  });

  it('pages the board, and the raw GROUP BY agrees with the rollup', async () => {
    for (let i = 0; i < 25; i++) await credit(`m${String(i).padStart(2, '0')}`, 1 + (i % 7), `2026-11-0${1 + (i % 9)}T10:00:00Z`, `c:${i}`);
    await rebuildPointsRollup(t.db, 'UTC', 0);
    const q = { period: 'all' as const, timeZone: 'UTC', now: at('2026-11-20T00:00:00Z') };
    const all = await leaderboard(t.db, { ...q, limit: 100 });
    expect(all.map((r) => r.rank)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await leaderboard(t.db, { ...q, limit: 10, offset: 10 })).toEqual(all.slice(10, 20));
    expect(await leaderboardFromLedger(t.db, { ...q, limit: 100 })).toEqual(all);
    for (const row of all) expect(await rankOf(t.db, row.memberId, q)).toEqual(row);
  });
});
