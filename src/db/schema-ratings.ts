// Tables for ratings, post readers, reputation levels (issue 6); merged into Database in schema.ts.
// post_stats, content_totals, member_points and member_points_daily are rollups kept exact by
// triggers (see migrations/2026_11_25_120500_create_rating_tables.ts): read them, never write them.
import type { ColumnType } from 'kysely';

export interface RatingTables {
  ratings: RatingsTable;
  post_readers: PostReadersTable;
  post_stats: PostStatsTable;
  content_totals: ContentTotalsTable;
  member_points: MemberPointsTable;
  member_points_daily: MemberPointsDailyTable;
  reputation_levels: ReputationLevelsTable;
  reputation_watermarks: ReputationWatermarksTable;
}

/** One rating per member per post; changing it updates the row. */
export interface RatingsTable {
  post_id: number;
  member_id: string;
  stars: number;
  /** Bumped on each change: the author's credit for it uses a fresh ref. */
  revision: ColumnType<number, number | undefined, number>;
  /** The points ref crediting the author for this rating, when one was credited. */
  points_ref: string | null;
  created_at: number;
  updated_at: number;
}

export type ReaderVia = 'rating' | 'reaction';

/** Distinct members who interacted with a post (never its author, never bots). */
export interface PostReadersTable {
  post_id: number;
  member_id: string;
  via: ReaderVia;
  at: number;
}

type Rollup<T> = ColumnType<T, never, never>;

/** Per post: what ranking needs, mirrored from posts, with rating and reader sums. */
export interface PostStatsTable {
  post_id: Rollup<number>;
  author_id: Rollup<string>;
  kind: Rollup<string>;
  audience_tier: Rollup<string | null>;
  /** 1 while the post is published. */
  published: Rollup<number>;
  published_at: Rollup<number | null>;
  rating_count: Rollup<number>;
  rating_sum: Rollup<number>;
  readers: Rollup<number>;
  /** log2(quality at prior_ref) + log2(reach) + published_at / half-life (see rankKey in content-value.ts). */
  rank_key: Rollup<number | null>;
}

/** Single row (id 1): every rating on a published post, for the Bayesian prior C. */
export interface ContentTotalsTable {
  id: Rollup<number>;
  rating_count: Rollup<number>;
  rating_sum: Rollup<number>;
  /** What rank_key was computed with; topContent re-keys when they differ from the settings and C. */
  half_life_ms: ColumnType<number, never, number>;
  prior_m: ColumnType<number, never, number>;
  prior_ref: ColumnType<number, never, number>;
}

export interface MemberPointsTable {
  member_id: Rollup<string>;
  source: Rollup<string>;
  total: Rollup<number>;
}

export interface MemberPointsDailyTable {
  member_id: Rollup<string>;
  /** UTC day number: floor(at / 86 400 000). */
  day: Rollup<number>;
  amount: Rollup<number>;
}

export interface ReputationLevelsTable {
  member_id: string;
  level: number;
  /** JSON array of the reward role ids queued for the member at that level. */
  role_ids: string;
  updated_at: number;
}

export interface ReputationWatermarksTable {
  name: string;
  /** The last points.id whose member was re-levelled. */
  last_id: number;
  /** The level curve and reward roles in force when it was applied (a change re-levels everyone). */
  settings: string;
  updated_at: number;
}
