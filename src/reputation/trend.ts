// The 30-day trend on /rank: pure arithmetic over per-member UTC day sums (member_points_daily).
import { DAY_MS } from './content-value.ts';

export const TREND_DAYS = 30;
export const SPARK_WEEKS = 8;
/** Days of history the trend needs: this 30 days and the 30 before (the 8 weeks fit inside). */
export const TREND_HISTORY_DAYS = 2 * TREND_DAYS;

export const utcDay = (at: number): number => Math.floor(at / DAY_MS);

export interface Trend {
  /** Net points over the 30 UTC days ending today (today included). */
  last30: number;
  /** Net points over the 30 days before those. */
  previous30: number;
  /** Net points per 7-day week, oldest first; the last week ends today. */
  weekly: number[];
}

export function trendOf(daily: readonly { day: number; amount: number }[], today: number): Trend {
  let last30 = 0;
  let previous30 = 0;
  const weekly = new Array<number>(SPARK_WEEKS).fill(0);
  for (const { day, amount } of daily) {
    const ago = today - day; // 0 = today
    if (ago < 0) continue;
    if (ago < TREND_DAYS) last30 += amount;
    else if (ago < 2 * TREND_DAYS) previous30 += amount;
    const week = SPARK_WEEKS - 1 - Math.floor(ago / 7);
    if (week >= 0) weekly[week]! += amount;
  }
  return { last30, previous30, weekly };
}

const BARS = '▁▂▃▄▅▆▇█';

/** One bar per value, scaled from the lowest (or 0) to the highest; all equal → flat low bars. */
export function sparkline(values: readonly number[]): string {
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  if (hi === lo) return BARS[0]!.repeat(values.length);
  return values.map((v) => BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}
