import { describe, expect, it } from 'vitest';
import { levelFor, levelProgress, pointsForLevel, rewardRoleDiff, rewardRolesFor } from '../../src/reputation/levels.ts';
import { sparkline, trendOf } from '../../src/reputation/trend.ts';

const curve = { base: 50, exponent: 1.5, max: 100 };

describe('levels', () => {
  it('level n needs round(base · n^exponent) points', () => {
    expect([0, 1, 2, 3, 4].map((n) => pointsForLevel(n, curve))).toEqual([0, 50, 141, 260, 400]);
    expect(pointsForLevel(5, { base: 10, exponent: 1.5, max: 100 })).toBe(112);
  });

  it('levelFor finds the highest level reached, 0 below level 1 (negative balances too), and stops at max', () => {
    expect([-10, 0, 49, 50, 140, 141, 259, 260, 400].map((p) => levelFor(p, curve))).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 4]);
    expect(levelFor(1_000_000, { ...curve, max: 3 })).toBe(3);
    for (let p = 0; p < 3000; p += 7) {
      const l = levelFor(p, curve);
      expect(pointsForLevel(l, curve)).toBeLessThanOrEqual(p);
      expect(pointsForLevel(l + 1, curve)).toBeGreaterThan(p);
    }
  });

  it('progress names the current floor and the next threshold (none at the top)', () => {
    expect(levelProgress(200, curve)).toEqual({ level: 2, floor: 141, next: 260 });
    expect(levelProgress(0, curve)).toEqual({ level: 0, floor: 0, next: 50 });
    expect(levelProgress(5000, { ...curve, max: 3 })).toEqual({ level: 3, floor: 260, next: null });
  });

  it('reward roles are held from their level on; the diff only touches configured reward roles', () => {
    const roles = [{ level: 1, roleId: '111111111111111111' }, { level: 5, roleId: '555555555555555555' }];
    expect(rewardRolesFor(0, roles)).toEqual([]);
    expect(rewardRolesFor(4, roles)).toEqual(['111111111111111111']);
    expect(rewardRolesFor(5, roles)).toEqual(['111111111111111111', '555555555555555555']);
    expect(rewardRoleDiff(['111111111111111111'], ['111111111111111111', '555555555555555555'], roles)).toEqual({ add: [], remove: ['555555555555555555'] });
    // A role taken out of the reward list is neither removed nor added again.
    expect(rewardRoleDiff([], ['999999999999999999'], roles)).toEqual({ add: [], remove: [] });
    expect(rewardRoleDiff(['111111111111111111'], [], roles)).toEqual({ add: ['111111111111111111'], remove: [] });
  });
});

describe('30-day trend', () => {
  it('splits UTC day sums into the last 30 days, the 30 before, and 8 weekly sums', () => {
    const today = 1000;
    const daily = [
      { day: 1000, amount: 5 }, // today
      { day: 971, amount: 3 }, // 29 days ago: last 30
      { day: 970, amount: 7 }, // 30 days ago: the 30 before
      { day: 941, amount: 2 }, // 59 days ago: the 30 before, older than 8 weeks
      { day: 940, amount: 100 }, // 60 days ago: neither
      { day: 1001, amount: 9 }, // tomorrow (clock skew): ignored
    ];
    expect(trendOf(daily, today)).toEqual({ last30: 8, previous30: 9, weekly: [0, 0, 0, 10, 0, 0, 0, 5] });
  });

  it('sparkline scales from 0 (or the lowest) to the highest', () => {
    expect(sparkline([0, 0, 0, 10, 0, 0, 0, 5])).toBe('▁▁▁█▁▁▁▅');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([-4, 0, 4])).toBe('▁▅█');
  });
});
