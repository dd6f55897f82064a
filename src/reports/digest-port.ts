// The ports the digest, its CLI and /stats are written against. The figures come from
// ComputeDigest (the metric definitions of docs/metrics.md over the database); everything here
// only formats, schedules and delivers them.
import type { CohortRetention, DigestJson, MrrMovement } from './metrics/types.ts';

/** The DigestJson for the week ending at `asOf` (UTC ms), with the week before as `previous`. */
export type ComputeDigest = (asOf: number) => Promise<DigestJson>;

/** What commands may use to report figures (a Deps field, see the report). */
export interface ReportsPort {
  compute: ComputeDigest;
}

/** One point of the 12-week series: the week [week_start, week_start + 7d); members counted at its end (its asOf). */
export interface WeekPoint {
  week_start: string;
  paying_members: number;
  weekly_active_members: number;
}

/** Everything the PNG chart draws; built from DigestJson values, so it is exactly what the embed says. */
export interface ChartInput {
  as_of: string;
  /** metrics.cohort_retention: 8 cohorts, cohort k with k values. */
  cohorts: readonly CohortRetention[];
  /** Oldest first, the last one ending at as_of. */
  weeks: readonly WeekPoint[];
  /** The main currency (largest MRR) and its movement over the week; null when there is no money yet. */
  mrr_movement: { currency: string; movement: MrrMovement } | null;
  /** Renders week labels in REPORT_TIMEZONE. */
  timeZone: string;
}
