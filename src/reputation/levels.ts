// Levels and reward roles: pure functions over the configured curve (reputation.levels).
import type { ReputationSetup } from './reputation-config.ts';

export type LevelCurve = ReputationSetup['levels'];
export type RewardRole = ReputationSetup['rewardRoles'][number];

/** Points needed for level n: round(base · n^exponent); level 0 needs nothing. */
export function pointsForLevel(n: number, curve: LevelCurve): number {
  return n <= 0 ? 0 : Math.round(curve.base * n ** curve.exponent);
}

/** The highest level (0..max) whose threshold the points reach. Negative balances are level 0. */
export function levelFor(points: number, curve: LevelCurve): number {
  // The curve only grows (exponent >= 1), so a binary search finds the last level reached.
  let lo = 0;
  let hi = curve.max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pointsForLevel(mid, curve) <= points) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface LevelProgress {
  level: number;
  /** Points at which the current level started. */
  floor: number;
  /** Points for the next level; null at the top level. */
  next: number | null;
}

export function levelProgress(points: number, curve: LevelCurve): LevelProgress {
  const level = levelFor(points, curve);
  return { level, floor: pointsForLevel(level, curve), next: level < curve.max ? pointsForLevel(level + 1, curve) : null };
}

/** Reward roles a member at `level` should hold (each is held from its level on). */
export function rewardRolesFor(level: number, rewardRoles: readonly RewardRole[]): string[] {
  return [...new Set(rewardRoles.filter((r) => level >= r.level).map((r) => r.roleId))].sort();
}

/**
 * Role changes from what a member was given (`held`) to what they should hold now. Roles no
 * longer in the reward list are neither added nor removed: Guildhall forgets them, it does not
 * strip roles an owner took out of its care.
 */
export function rewardRoleDiff(desired: readonly string[], held: readonly string[], rewardRoles: readonly RewardRole[]): { add: string[]; remove: string[] } {
  const managed = new Set(rewardRoles.map((r) => r.roleId));
  const have = new Set(held.filter((r) => managed.has(r)));
  const want = new Set(desired);
  return { add: [...want].filter((r) => !have.has(r)).sort(), remove: [...have].filter((r) => !want.has(r)).sort() };
}
