// Boundaries are UTC instants: a day is exactly 24 h and W is exactly 7 × 24 h, whatever
// REPORT_TIMEZONE's offset does in between. Every interval is half-open [from, to).

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const within = (t: number, from: number, to: number): boolean => t >= from && t < to;

export const iso = (t: number): string => new Date(t).toISOString();

/** The index of the first element >= t in ascending `sorted` (sorted.length when none). */
export function firstAtOrAfter(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
