// Tables for leaderboard messages, monthly champions, points rollups (issue 5); merged into Database in schema.ts.
import type { PointsSource } from './schema.ts';

/** A period key: a month in the rollup's zone ('2026-11') or 'all'. */
export type RollupPeriod = string;

/**
 * The ledger summed per (period, source, member); source '*' is every source. Rules (shared by the
 * incremental path in points-rollup.ts, its rebuild, and the tests' naive recomputation):
 * - a row whose ref is `X:reversed` and that follows a row X (same source and member) counts in the
 *   period of X's `at`, so a reversal cancels the credit where it was earned;
 * - every other row counts in the period of its own `at`;
 * - reached_at = the latest `at` of the rows still standing (neither such a reversal nor reversed):
 *   when the member reached their total, the tie-break (earlier first).
 */
export interface PointsRollupTable {
  period: RollupPeriod;
  source: PointsSource | '*';
  member_id: string;
  total: number;
  reached_at: number | null;
}

/** The single row (id 1) saying which zone the month keys use and how much of the ledger is in. */
export interface PointsRollupStateTable {
  id: number;
  time_zone: string;
  ledger_rows: number;
  last_id: number;
  built_at: number;
}

/** The message the bot edits for a board in a channel. */
export interface LeaderboardMessagesTable {
  channel_id: string;
  board: string;
  message_id: string | null;
  nonce: string | null;
  content_hash: string | null;
  updated_at: number;
}

/** The challenge champion of a month (community zone); member_id null = nobody scored. */
export interface ChampionsTable {
  month: string;
  member_id: string | null;
  points: number | null;
  decided_at: number;
  rotated_out_at: number | null;
}

export interface LeaderboardTables {
  points_rollup: PointsRollupTable;
  points_rollup_state: PointsRollupStateTable;
  leaderboard_messages: LeaderboardMessagesTable;
  champions: ChampionsTable;
}
