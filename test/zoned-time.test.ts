import { describe, expect, it } from 'vitest';
import { startOfZonedDay, startOfZonedMonth, zonedMonthKey, zonedToUtc } from '../src/zoned-time.ts';

const iso = (n: number) => new Date(n).toISOString();
const at = (s: string) => Date.parse(s);

describe('calendar boundaries in the community time zone', () => {
  it('finds local midnight on both sides of a spring-forward day (a 23-hour day)', () => {
    expect(iso(startOfZonedDay(at('2026-03-29T12:00:00Z'), 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfZonedDay(at('2026-03-30T12:00:00Z'), 'Europe/Berlin'))).toBe('2026-03-29T22:00:00.000Z');
  });

  it('rolls months over in the zone, across a fall-back change and a half-hour offset', () => {
    expect(iso(startOfZonedMonth(at('2026-11-15T12:00:00Z'), 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(startOfZonedMonth(at('2026-11-15T12:00:00Z'), 'America/New_York', 1))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(startOfZonedMonth(at('2026-12-15T12:00:00Z'), 'Asia/Kolkata', 1))).toBe('2026-12-31T18:30:00.000Z');
    expect(iso(startOfZonedMonth(at('2026-01-15T00:00:00Z'), 'UTC', -1))).toBe('2025-12-01T00:00:00.000Z');
    expect(zonedMonthKey(at('2026-10-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11');
    expect(zonedMonthKey(at('2026-10-31T23:30:00Z'), 'UTC')).toBe('2026-10');
  });

  it('resolves skipped local times after the jump and repeated ones to their first occurrence', () => {
    expect(iso(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });
});
