// Boundaries are UTC instants: a day is exactly 24 h and W is exactly 7 × 24 h, whatever
// REPORT_TIMEZONE's offset does in between. Every interval is half-open [from, to).

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const within = (t: number, from: number, to: number): boolean => t >= from && t < to;

/** Each UTC day's "YYYY-MM-DDT", from toISOString itself; cleared when full (a bot runs for months). */
const dayPrefixes = new Map<number, string>();
const DAY_PREFIXES_KEPT = 4096;
const DATE_RANGE_MS = 8.64e15;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Exactly Date.prototype.toISOString() (which throws on an invalid instant), about ten times faster
 * once the day is known: the at-risk list formats two instants for each of thousands of members.
 * The day's part comes from toISOString; the time of day is plain arithmetic.
 */
export function iso(t: number): string {
  const ms = Math.trunc(t); // as the Date constructor does
  // Outside the Date range (or NaN) toISOString throws; a cached day must not hide that.
  if (!(Math.abs(ms) <= DATE_RANGE_MS)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY) * DAY;
  const prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const full = new Date(ms).toISOString();
    if (dayPrefixes.size >= DAY_PREFIXES_KEPT) dayPrefixes.clear();
    dayPrefixes.set(day, full.slice(0, -'HH:mm:ss.sssZ'.length));
    return full;
  }
  const inDay = ms - day;
  return `${prefix}${pad2(Math.floor(inDay / HOUR))}:${pad2(Math.floor(inDay / MINUTE) % 60)}:${pad2(Math.floor(inDay / 1000) % 60)}.${pad3(inDay % 1000)}Z`;
}

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
