// A scenario computed by hand, read through the production readers (chatFigures, loadInteractions,
// memberDays/anyInteractionIn) and the rollup tables, before and after pruning the raw events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivityCapture } from '../../src/activity/capture.ts';
import { anyInteractionIn, memberDays } from '../../src/activity/member-days.ts';
import { activityJobs, pruneActivity } from '../../src/activity/prune.ts';
import type { ActivityInput } from '../../src/activity/sink.ts';
import type { Db } from '../../src/db/database.ts';
import { connectionReader } from '../../src/db/side-reader.ts';
import { chatFigures } from '../../src/reports/load-chat.ts';
import { loadInteractions } from '../reports/fixtures/load-interactions.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { quietLogger } from './capture-db.ts';

const at = (hhmm: string, day = 2) => Date.parse(`2026-11-0${day}T${hhmm}:00.000Z`);
const A = '1300000000000009101';
const B = '1300000000000009102';
const MIN = 60_000;
const DAY = 86_400_000;
const DAY2 = at('00:00');

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

const HOURLY = [
  { hour: at('10:00'), user_id: A, kind: 'message', count: 2, voice_ms: 0, first_at: at('10:10'), last_at: at('10:50') },
  { hour: at('10:00'), user_id: A, kind: 'voice', count: 1, voice_ms: 20 * MIN, first_at: at('10:40'), last_at: at('10:40') },
  { hour: at('10:00'), user_id: B, kind: 'join', count: 1, voice_ms: 0, first_at: at('10:45'), last_at: at('10:45') },
  { hour: at('11:00'), user_id: A, kind: 'message', count: 1, voice_ms: 0, first_at: at('11:30'), last_at: at('11:30') },
  // The session's continuation: no event began in these hours.
  { hour: at('11:00'), user_id: A, kind: 'voice', count: 0, voice_ms: 60 * MIN, first_at: null, last_at: null },
  { hour: at('12:00'), user_id: A, kind: 'voice', count: 0, voice_ms: 20 * MIN, first_at: null, last_at: null },
  { hour: at('12:00'), user_id: B, kind: 'message', count: 1, voice_ms: 0, first_at: at('13:00') - 1, last_at: at('13:00') - 1 },
  { hour: at('13:00'), user_id: A, kind: 'message', count: 1, voice_ms: 0, first_at: at('13:05'), last_at: at('13:05') },
];
// B's join is no interaction: B's day starts and ends with the message.
const DAYS = [
  { day: DAY2, user_id: A, first_at: at('10:10'), last_at: at('13:05') },
  { day: DAY2, user_id: B, first_at: at('13:00') - 1, last_at: at('13:00') - 1 },
];

const hourly = (db: Db) => db.selectFrom('activity_hourly').select(['hour', 'user_id', 'kind', 'count', 'voice_ms', 'first_at', 'last_at']).orderBy('hour').orderBy('user_id').orderBy('kind').execute();
const days = (db: Db) => db.selectFrom('activity_member_days').select(['day', 'user_id', 'first_at', 'last_at']).orderBy('day').orderBy('user_id').execute();
/** The latest interaction of A and B in [since, before). */
async function latest(db: Db, since: number, before: number) {
  const source = await loadInteractions(db, { last: [{ since, before, users: [A, B] }], has: [] });
  return { A: source.lastInteractionSince(A, since, before), B: source.lastInteractionSince(B, since, before) };
}
async function has(db: Db, user: string, from: number, to: number) {
  return (await loadInteractions(db, { last: [], has: [{ user, from, to }] })).hasInteraction(user, from, to);
}

describe('rollup tables and readers over a hand-computed day, and pruning', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase();
    const capture = createActivityCapture({ db: t.db, clock: { now: () => at('14:00') }, logger: quietLogger() });
    for (const e of EVENTS) capture.record(e);
    await capture.stop();
  });
  afterEach(() => t.cleanup());

  it('keeps the hourly and member-day rollups', async () => {
    expect(await hourly(t.db)).toEqual(HOURLY);
    expect(await days(t.db)).toEqual(DAYS);
  });

  it('chatFigures reads partial edge hours from raw events and whole hours from rollups', async () => {
    // [10:30, 12:30): hour 11:00 whole; 10:30-11:00 and 12:00-12:30 from raw events.
    expect(await chatFigures(connectionReader(t.db), { from: at('10:30'), to: at('12:30') })).toEqual({ messages: 2, communicators: 1 });
    expect(await chatFigures(connectionReader(t.db), { from: at('10:30'), to: at('13:10') })).toEqual({ messages: 4, communicators: 2 });
    // Half-open: B's message at 12:59:59.999 is in [10:00, 13:00) and not in [10:00, 12:59:59.999).
    expect(await chatFigures(connectionReader(t.db), { from: at('10:00'), to: at('13:00') - 1 })).toEqual({ messages: 3, communicators: 1 });
    expect(await chatFigures(connectionReader(t.db), { from: at('10:00'), to: at('13:00') })).toEqual({ messages: 4, communicators: 2 });
    // Voice: one minute inside [12:19, 12:59) (12:19-12:20) makes A a communicator, one ms less does not.
    expect(await chatFigures(connectionReader(t.db), { from: at('12:19'), to: at('12:59') })).toEqual({ messages: 0, communicators: 1 });
    expect(await chatFigures(connectionReader(t.db), { from: at('12:19') + 1, to: at('12:59') })).toEqual({ messages: 0, communicators: 0 });
    // Inside one hour, and an empty window.
    expect(await chatFigures(connectionReader(t.db), { from: at('10:20'), to: at('10:55') })).toEqual({ messages: 1, communicators: 1 });
    expect(await chatFigures(connectionReader(t.db), { from: at('10:50'), to: at('10:50') })).toEqual({ messages: 0, communicators: 0 });
  });

  it('loadInteractions: the latest interaction in [since, before), and any interaction in a window of a day or more', async () => {
    expect(await latest(t.db, at('00:00'), at('13:05'))).toEqual({ A: at('11:30'), B: at('13:00') - 1 });
    // 12:00: A's day has interactions on both sides, read from the hours before; B's join does not count.
    expect(await latest(t.db, at('00:00'), at('12:00'))).toEqual({ A: at('11:30'), B: null });
    // 10:45, mid-hour: A's voice session began at 10:40 (the hour's raw events decide).
    expect(await latest(t.db, at('00:00'), at('10:45'))).toEqual({ A: at('10:40'), B: null });
    expect(await latest(t.db, at('10:41'), at('10:45'))).toEqual({ A: null, B: null });
    expect(await latest(t.db, at('00:00'), at('10:55'))).toEqual({ A: at('10:50'), B: null });
    // From the next day, the previous day's last interaction.
    expect(await latest(t.db, at('00:00'), at('09:00', 3))).toEqual({ A: at('13:05'), B: at('13:00') - 1 });

    expect(await has(t.db, B, at('13:00') - DAY, at('13:00'))).toBe(true);
    expect(await has(t.db, B, at('13:00') - 1 - DAY, at('13:00') - 1)).toBe(false);
    expect(await has(t.db, A, at('13:05'), at('13:05') + DAY)).toBe(true);
    expect(await has(t.db, A, at('13:05') + 1, at('13:05') + 1 + DAY)).toBe(false);
    await expect(loadInteractions(t.db, { last: [], has: [{ user: B, from: at('10:00'), to: at('12:59') }] })).rejects.toThrow(RangeError);
  });

  it('memberDays and anyInteractionIn', async () => {
    const a = await memberDays(t.db, A, at('00:00', 1), at('00:00', 4));
    expect(a).toEqual([{ day: DAY2, first_at: at('10:10'), last_at: at('13:05') }]);
    expect(await memberDays(t.db, A, at('13:06'), at('13:06'))).toEqual([]);
    const b = await memberDays(t.db, B, at('13:00') - DAY, at('13:00'));
    expect(b).toEqual([{ day: DAY2, first_at: at('13:00') - 1, last_at: at('13:00') - 1 }]);
    expect(anyInteractionIn(b, at('13:00') - DAY, at('13:00'))).toBe(true);
    expect(anyInteractionIn(b, at('13:00') - 1 - DAY, at('13:00') - 1)).toBe(false);
    expect(anyInteractionIn(a, at('13:05') + 1, at('13:05') + 1 + DAY)).toBe(false);
    expect(() => anyInteractionIn(a, at('10:00'), at('12:00'))).toThrow(RangeError);
  });

  it('pruning deletes raw events past the retention and keeps the rollups: day rows and whole hours stay exact', async () => {
    const whole = await chatFigures(connectionReader(t.db), { from: at('10:00'), to: at('14:00') });
    expect(whole).toEqual({ messages: 5, communicators: 2 });
    // Only events stamped strictly before now − retention go: the 10:10 message at the cutoff stays.
    expect(await pruneActivity(t.db, { now: at('10:10') + 180 * DAY, retentionDays: 180 })).toBe(0);
    const deleted = await pruneActivity(t.db, { now: at('12:00') + 180 * DAY, retentionDays: 180 });
    // Stamped before 12:00 (180 days earlier): the 10:10, 10:50, 11:30 messages, the voice session and the join.
    expect(deleted).toBe(5);
    expect(await t.db.selectFrom('activity_events').select('at').orderBy('at').execute()).toEqual([{ at: at('13:00') - 1 }, { at: at('13:05') }]);
    expect(await hourly(t.db)).toEqual(HOURLY);
    expect(await days(t.db)).toEqual(DAYS);
    expect(await chatFigures(connectionReader(t.db), { from: at('10:00'), to: at('14:00') })).toEqual(whole);
    expect(await chatFigures(connectionReader(t.db), { from: at('11:00'), to: at('12:00') })).toEqual({ messages: 1, communicators: 1 });
    expect(await latest(t.db, at('00:00'), at('12:00'))).toEqual({ A: at('11:30'), B: null });
    expect(await latest(t.db, at('00:00'), at('13:05'))).toEqual({ A: at('11:30'), B: at('13:00') - 1 });
    expect(await has(t.db, B, at('13:00') - DAY, at('13:00'))).toBe(true);
    expect(await has(t.db, B, at('13:00') - 1 - DAY, at('13:00') - 1)).toBe(false);
    expect(anyInteractionIn(await memberDays(t.db, A, at('10:30'), at('10:30') + DAY), at('10:30'), at('10:30') + DAY)).toBe(true);

    // The documented limit: a partial edge hour older than the retention has lost its raw events.
    // [10:30, 12:30) held 2 messages (10:50, 11:30); the 10:00 hour straddles 10:30 and its raw 10:50 is gone.
    expect(await chatFigures(connectionReader(t.db), { from: at('10:30'), to: at('12:30') })).toEqual({ messages: 1, communicators: 1 });
    // Latest before 10:55 was the 10:50 message; its hour's raw events are gone, and what remains is a lower
    // bound: the latest of the hour's per-kind first interactions (message 10:10, voice 10:40).
    expect(await latest(t.db, at('00:00'), at('10:55'))).toEqual({ A: at('10:40'), B: null });
  });

  it('the daily job prunes with the configured retention', async () => {
    const [job] = activityJobs({ db: t.db, clock: { now: () => at('14:00') + 56 * DAY }, logger: quietLogger(), retentionDays: 56 });
    expect(job).toMatchObject({ name: 'activity-prune', cron: '17 3 * * *' });
    expect(await job!.run()).toEqual({ deleted: 7 });
    expect(await t.db.selectFrom('activity_events').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('activity_hourly').select((eb) => eb.fn.sum<number>('count').as('n')).executeTakeFirst()).toEqual({ n: 7 });
    expect(await days(t.db)).toEqual(DAYS);
  });
});
