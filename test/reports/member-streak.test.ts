import { describe, expect, it } from 'vitest';
import { STREAK_MAX_WEEKS, weeklyStreak } from '../../src/reports/member-streak.ts';
import { streakText } from '../../src/reports/me-view.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 12);
/** The question /me asks per week, answered from a list of interaction instants. */
const streak = (instants: number[]) => weeklyStreak(async (from, to) => instants.some((t) => t >= from && t < to), NOW);

describe('weekly activity streak', () => {
  it('counts consecutive 7-day windows back from now, each with an interaction', async () => {
    expect(await streak([])).toBe(0);
    expect(await streak([NOW - 1])).toBe(1);
    // Windows are half-open: now − 7d belongs to the current week, now itself to none.
    expect(await streak([NOW - 7 * DAY])).toBe(1);
    expect(await streak([NOW - 7 * DAY - 1])).toBe(0);
    expect(await streak([NOW])).toBe(0);
    expect(await streak([NOW - DAY, NOW - 8 * DAY, NOW - 20 * DAY, NOW - 40 * DAY])).toBe(3);
    // Quiet for the last 7 days: the streak is over, whatever came before.
    expect(await streak([NOW - 8 * DAY, NOW - 9 * DAY])).toBe(0);
  });

  it('asks about each week once, newest first, and stops at one year', async () => {
    const asked: [number, number][] = [];
    const weeks = await weeklyStreak(async (from, to) => (asked.push([from, to]), true), NOW);
    expect(weeks).toBe(STREAK_MAX_WEEKS);
    expect(asked).toHaveLength(STREAK_MAX_WEEKS);
    expect(asked[0]).toEqual([NOW - 7 * DAY, NOW]);
    expect(asked[1]).toEqual([NOW - 14 * DAY, NOW - 7 * DAY]);
    expect(streakText(STREAK_MAX_WEEKS)).toBe('52+ weeks in a row with activity');
    expect(streakText(1)).toBe('1 week in a row with activity');
  });
});
