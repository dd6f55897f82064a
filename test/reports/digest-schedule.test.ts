import { describe, expect, it } from 'vitest';
import { digestSchedule } from '../../src/reports/digest-schedule.ts';

const at = (s: string) => Date.parse(s);
const latest = (cron: string, zone: string, now: string) => {
  const t = digestSchedule(cron, zone).latestAtOrBefore(at(now));
  return t === null ? null : new Date(t).toISOString();
};

describe('the week a digest belongs to: the latest DIGEST_CRON time at or before now', () => {
  it('is Monday 09:00 in REPORT_TIMEZONE for the default, from the instant itself until the next one', () => {
    expect(latest('0 9 * * 1', 'Europe/Berlin', '2026-11-23T08:00:00.000Z')).toBe('2026-11-23T08:00:00.000Z');
    expect(latest('0 9 * * 1', 'Europe/Berlin', '2026-11-23T07:59:59.999Z')).toBe('2026-11-16T08:00:00.000Z');
    expect(latest('0 9 * * 1', 'Europe/Berlin', '2026-11-29T23:00:00.000Z')).toBe('2026-11-23T08:00:00.000Z');
    expect(latest('0 9 * * 1', 'America/New_York', '2026-11-25T00:00:00.000Z')).toBe('2026-11-23T14:00:00.000Z');
  });

  it('follows the zone across a DST change (Berlin springs forward on 2026-03-29)', () => {
    expect(latest('0 9 * * 1', 'Europe/Berlin', '2026-04-01T00:00:00.000Z')).toBe('2026-03-30T07:00:00.000Z');
    expect(latest('0 9 * * 1', 'Europe/Berlin', '2026-03-30T06:59:00.000Z')).toBe('2026-03-23T08:00:00.000Z');
    // 02:30 does not exist on 2026-03-29 in Berlin: the previous day's 02:30 is the latest.
    expect(latest('30 2 * * *', 'Europe/Berlin', '2026-03-29T05:00:00.000Z')).toBe('2026-03-28T01:30:00.000Z');
  });

  it('handles second fields, ranges and rare schedules', () => {
    expect(latest('*/2 * * * * *', 'UTC', '2026-01-01T00:00:05.500Z')).toBe('2026-01-01T00:00:04.000Z');
    expect(latest('0 8 * * 1-5', 'UTC', '2026-11-22T12:00:00.000Z')).toBe('2026-11-20T08:00:00.000Z');
    expect(latest('0 9 1 1 *', 'America/New_York', '2026-12-31T00:00:00.000Z')).toBe('2026-01-01T14:00:00.000Z');
  });
});
