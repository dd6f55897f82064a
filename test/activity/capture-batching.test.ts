import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActivityCapture, type ActivityCapture } from '../../src/activity/capture.ts';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { loggedDatabase, quietLogger, transactions, type LoggedDb } from './capture-db.ts';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const event = (i: number, over: Partial<ActivityInput> = {}): ActivityInput => ({ userId: `1300000000000009${String(i % 50).padStart(3, '0')}`, kind: 'message', at: T0 + i * 1000, channelId: '1300000000000000401', ...over });

describe('activity capture: batching (real SQLite, every statement logged)', () => {
  let t: LoggedDb;
  let capture: ActivityCapture;
  const eventRows = () => t.sqlite.prepare('select count(*) as n from activity_events').get() as { n: number };
  // Lets the flush a timer started run to the end (setImmediate is not faked).
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  beforeEach(async () => {
    t = await loggedDatabase();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    capture = createActivityCapture({ db: t.db, clock: { now: () => T0 }, logger: quietLogger() });
  });
  afterEach(async () => {
    await capture.stop();
    vi.useRealTimers();
    await t.cleanup();
  });

  it('waits 250 ms after the first event, then writes every buffered event and its rollups (hourly, member-day) in one transaction', async () => {
    for (let i = 0; i < 10; i++) capture.record(event(i));
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 10; i < 20; i++) capture.record(event(i));
    await vi.advanceTimersByTimeAsync(149);
    await settle();
    expect(eventRows().n).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(eventRows().n).toBe(20);
    expect(transactions(t.statements)).toEqual([{ events: 20, rollups: 20, memberDays: 20, commit: 1 }]);
    expect(capture.stats).toMatchObject({ recorded: 20, written: 20, flushes: 1 });
  });

  it('flushes at 500 events without waiting, and never puts more than 500 in a transaction', async () => {
    for (let i = 0; i < 499; i++) capture.record(event(i));
    await settle();
    expect(eventRows().n).toBe(0);
    capture.record(event(499));
    await settle();
    expect(eventRows().n).toBe(500);
    t.reset();
    for (let i = 500; i < 1700; i++) capture.record(event(i));
    await settle();
    expect(eventRows().n).toBe(1700);
    expect(transactions(t.statements).map((tx) => tx.events)).toEqual([500, 500, 200]);
  });

  it('a batch is all or nothing: when its rollups fail, its raw rows roll back too, and it is retried later', async () => {
    await sql`create temp trigger poison before insert on activity_hourly when new.user_id = 'poison' begin select raise(abort, 'poisoned'); end`.execute(t.db);
    for (let i = 0; i < 30; i++) capture.record(event(i));
    capture.record(event(30, { userId: 'poison' }));
    await capture.flush();
    expect(eventRows().n).toBe(0);
    expect(capture.stats).toMatchObject({ failedFlushes: 1, written: 0 });
    await sql`drop trigger poison`.execute(t.db);
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(eventRows().n).toBe(31);
    const rollup = t.sqlite.prepare('select sum(count) as n from activity_hourly').get() as { n: number };
    expect(rollup.n).toBe(31);
  });

  it('stop() writes what is buffered without waiting for the timer; later events are dropped and counted', async () => {
    for (let i = 0; i < 7; i++) capture.record(event(i));
    await capture.stop();
    expect(eventRows().n).toBe(7);
    capture.record(event(8));
    await capture.stop();
    expect(capture.stats).toMatchObject({ written: 7, dropped: 1 });
  });

  it('never stores bots, or events without a usable time', async () => {
    capture.record(event(1, { bot: true }));
    capture.record(event(2, { at: Number.NaN }));
    capture.record(event(3, { userId: '' }));
    capture.record(event(4, { kind: 'voice', minutes: 0 }));
    capture.record(event(5));
    await capture.flush();
    expect(t.sqlite.prepare('select user_id, kind from activity_events').all()).toEqual([{ user_id: event(5).userId, kind: 'message' }]);
  });
});
