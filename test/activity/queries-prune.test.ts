import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivityCapture } from '../../src/activity/capture.ts';
import { activityJobs, pruneActivity } from '../../src/activity/prune.ts';
import { activityIn, communicators, hasInteraction, interactionCounts, lastInteractionBefore, messagesIn } from '../../src/activity/queries.ts';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { quietLogger } from './capture-db.ts';

const at = (hhmm: string, day = 2) => Date.parse(`2026-11-0${day}T${hhmm}:00.000Z`);
const A = '1300000000000009101';
const B = '1300000000000009102';
const DAY = 86_400_000;

// By hand: A writes at 10:10, 10:50, 11:30 and 13:05, and is in voice 10:40-12:20 (100 min);
// B writes at 12:59:59.999 and joins the server at 10:45 (a join is no interaction).
const EVENTS: ActivityInput[] = [
  { userId: A, kind: 'message', at: at('10:10') },
  { userId: A, kind: 'message', at: at('10:50') },
  { userId: A, kind: 'message', at: at('11:30') },
  { userId: A, kind: 'message', at: at('13:05') },
  { userId: A, kind: 'voice', at: at('10:40'), endAt: at('12:20'), minutes: 100 },
  { userId: B, kind: 'message', at: at('13:00') - 1 },
  { userId: B, kind: 'join', at: at('10:45') },
];

describe('exact interval queries and pruning', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase();
    const capture = createActivityCapture({ db: t.db, clock: { now: () => at('14:00') }, logger: quietLogger() });
    for (const e of EVENTS) capture.record(e);
    await capture.stop();
  });
  afterEach(() => t.cleanup());

  it('reads partial edge hours from raw events and whole hours from rollups', async () => {
    // [10:30, 12:30): hours 11:00-12:00 whole; 10:30-11:00 and 12:00-12:30 from raw events.
    const a = (await activityIn(t.db, at('10:30'), at('12:30'))).get(A)!;
    expect(a).toEqual({ count: 3, byKind: { message: 2, voice: 1 }, first: at('10:40'), last: at('11:30'), voiceMs: 100 * 60_000 });
    expect((await activityIn(t.db, at('10:30'), at('12:30'))).get(B)).toEqual({ count: 1, byKind: { join: 1 }, first: at('10:45'), last: at('10:45'), voiceMs: 0 });
    // Voice minutes inside [12:10, 12:50): 10 of them (12:10-12:20), though the session began earlier.
    expect((await activityIn(t.db, at('12:10'), at('12:50'))).get(A)).toMatchObject({ count: 0, voiceMs: 10 * 60_000 });
    expect(await interactionCounts(t.db, at('10:30'), at('12:30'))).toEqual(new Map([[A, 3]]));
    // Half-open: B's message at 12:59:59.999 is in [10:00, 13:00) and not in [10:00, 12:59:59.999).
    expect(await interactionCounts(t.db, at('10:00'), at('13:00') - 1)).toEqual(new Map([[A, 4]]));
    expect(await interactionCounts(t.db, at('10:00'), at('13:00'))).toEqual(new Map([[A, 4], [B, 1]]));
    expect(await messagesIn(t.db, at('10:30'), at('13:10'))).toBe(4);
    expect(await communicators(t.db, at('12:19'), at('12:59'))).toEqual(new Set([A]));
    expect(await communicators(t.db, at('12:19') + 1, at('12:59'))).toEqual(new Set());
    expect(await hasInteraction(t.db, B, at('10:00'), at('12:59'))).toBe(false);
    expect(await lastInteractionBefore(t.db, at('13:05'), at('00:00'))).toEqual(new Map([[A, at('11:30')], [B, at('13:00') - 1]]));
  });

  it('pruning deletes raw events past the retention and keeps the rollups: whole hours stay exact', async () => {
    const whole = await activityIn(t.db, at('10:00'), at('14:00'));
    const deleted = await pruneActivity(t.db, { now: at('12:00') + 180 * DAY, retentionDays: 180 });
    // Stamped before 12:00 (180 days earlier): the 10:10, 10:50, 11:30 messages, the voice session and the join.
    expect(deleted).toBe(5);
    expect(await t.db.selectFrom('activity_events').select('at').orderBy('at').execute()).toEqual([{ at: at('13:00') - 1 }, { at: at('13:05') }]);
    expect(await activityIn(t.db, at('10:00'), at('14:00'))).toEqual(whole);
    expect(await lastInteractionBefore(t.db, at('12:00'), at('00:00'))).toEqual(new Map([[A, at('11:30')]]));
    // The documented limit: a partial edge hour older than the retention has lost its raw events.
    expect((await activityIn(t.db, at('10:30'), at('12:30'))).get(A)).toMatchObject({ count: 1, voiceMs: 60 * 60_000 });
  });

  it('the daily job prunes with the configured retention', async () => {
    const [job] = activityJobs({ db: t.db, clock: { now: () => at('14:00') + 56 * DAY }, logger: quietLogger(), retentionDays: 56 });
    expect(job).toMatchObject({ name: 'activity-prune', cron: '17 3 * * *' });
    expect(await job!.run()).toEqual({ deleted: 7 });
    expect(await t.db.selectFrom('activity_hourly').select((eb) => eb.fn.sum<number>('count').as('n')).executeTakeFirst()).toEqual({ n: 7 });
  });
});
