// The chart's input from DigestJson values only, so the picture and the embed can never disagree.
// 12 weekly points need 6 computations: each DigestJson carries two weeks (metrics and previous).
import type { ComputeDigest, ChartInput, WeekPoint } from './digest-port.ts';
import type { DigestJson, Metrics } from './metrics/types.ts';
import { mainCurrency } from './money.ts';

const WEEK = 7 * 86_400_000;
export const CHART_WEEKS = 12;

const point = (asOf: number, m: Metrics): WeekPoint => ({
  week_start: new Date(asOf - WEEK).toISOString(),
  paying_members: m.paying_members,
  weekly_active_members: m.weekly_active_members,
});

/** Pure: `history` holds any DigestJson at asOf − 14d, − 28d, … (others are ignored). */
export function chartInputFrom(current: DigestJson, history: readonly DigestJson[], timeZone: string): ChartInput {
  const byWeek = new Map<number, WeekPoint>();
  for (const d of [current, ...history]) {
    const asOf = Date.parse(d.as_of);
    byWeek.set(asOf, point(asOf, d.metrics));
    byWeek.set(asOf - WEEK, point(asOf - WEEK, d.previous));
  }
  const end = Date.parse(current.as_of);
  const weeks: WeekPoint[] = [];
  for (let i = CHART_WEEKS - 1; i >= 0; i--) {
    const p = byWeek.get(end - i * WEEK);
    if (p) weeks.push(p);
  }
  const m = current.metrics;
  const currency = mainCurrency(m.mrr, m.mrr_movement);
  const movement = currency ? m.mrr_movement[currency] : undefined;
  return {
    as_of: current.as_of,
    cohorts: m.cohort_retention,
    weeks,
    mrr_movement: currency && movement ? { currency, movement } : null,
    timeZone,
  };
}

/** Computes the older weeks the chart needs (sequentially: the database is shared with the bot). */
export async function chartInputFor(compute: ComputeDigest, current: DigestJson, timeZone: string): Promise<ChartInput> {
  const end = Date.parse(current.as_of);
  const history: DigestJson[] = [];
  for (let back = 2; back < CHART_WEEKS; back += 2) history.push(await compute(end - back * WEEK));
  return chartInputFrom(current, history, timeZone);
}
