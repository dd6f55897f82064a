// A member's activity streak, as /me shows it: the number of consecutive weeks, counting back from
// now, each holding at least one interaction. Weeks are the digest's: [now − 7k d, now − 7(k−1) d),
// so the current week is the last 7 days and a streak breaks only after 7 quiet days.

const WEEK = 7 * 86_400_000;
/** /me looks back one year: "52 weeks" is the longest streak it states exactly. */
export const STREAK_MAX_WEEKS = 52;
/** The furthest back a streak looks. */
export const STREAK_REACH_MS = STREAK_MAX_WEEKS * WEEK;

/** Asks week by week, newest first, and stops at the first quiet one (usually after a few questions). */
export async function weeklyStreak(active: (from: number, to: number) => Promise<boolean>, now: number): Promise<number> {
  let weeks = 0;
  while (weeks < STREAK_MAX_WEEKS && (await active(now - (weeks + 1) * WEEK, now - weeks * WEEK))) weeks++;
  return weeks;
}
