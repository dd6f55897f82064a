// Content value (what /top ranks by): pure functions, no I/O, no clock. See docs/reputation.md.
//
//   value = quality × reach × freshness
//   quality   = v/(v+m)·R + m/(v+m)·C   (Bayesian average, in stars: few ratings lean on C)
//   reach     = log2(2 + readers)       (1 with no readers; +1 per doubling of the audience)
//   freshness = 2^(−age / halfLife)     (halves every halfLifeDays after publishing)
//
// Multiplying keeps each part meaningful: a post twice as fresh, or with twice the quality, is
// worth twice as much; reach grows by doublings so a big audience helps without drowning quality.

export const DAY_MS = 86_400_000;
/** C before any published post has a rating: the middle of the 1..5 scale. */
export const NEUTRAL_PRIOR = 3;

export interface ValueSettings {
  /** Weight of the prior, in ratings. */
  m: number;
  halfLifeDays: number;
}

export interface PostFigures {
  ratingCount: number;
  ratingSum: number;
  /** Distinct members who rated it or reacted to it. */
  readers: number;
  publishedAt: number;
}

/** C: the mean rating over every rating of every published post. */
export function priorMean(totals: { ratingCount: number; ratingSum: number }): number {
  return totals.ratingCount > 0 ? totals.ratingSum / totals.ratingCount : NEUTRAL_PRIOR;
}

/** v/(v+m)·R + m/(v+m)·C with R = sum/v, written as (sum + m·C)/(v + m) so v = 0 needs no case. */
export function bayesianRating(ratingCount: number, ratingSum: number, m: number, prior: number): number {
  return (ratingSum + m * prior) / (ratingCount + m);
}

export function reach(readers: number): number {
  return Math.log2(2 + Math.max(0, readers));
}

/** A post dated in the future (clock skew) counts as brand new, never as more than fresh. */
export function freshness(ageMs: number, halfLifeDays: number): number {
  return 2 ** (-Math.max(0, ageMs) / (halfLifeDays * DAY_MS));
}

export function contentValue(post: PostFigures, prior: number, settings: ValueSettings, now: number): number {
  return bayesianRating(post.ratingCount, post.ratingSum, settings.m, prior) * reach(post.readers) * freshness(now - post.publishedAt, settings.halfLifeDays);
}

/**
 * The time-independent part of a post's value, taken at a reference prior `cRef`:
 *   rankKey = log2(quality at cRef) + log2(reach) + publishedAt / half-life
 * so that, with C equal to cRef, value = 2^(rankKey − now / half-life) for any post not dated in
 * the future. Stored per post (post_stats.rank_key, kept by triggers); /top walks posts by it.
 */
export function rankKey(post: PostFigures, m: number, cRef: number, halfLifeDays: number): number {
  return Math.log2(bayesianRating(post.ratingCount, post.ratingSum, m, cRef)) + Math.log2(reach(post.readers)) + post.publishedAt / (halfLifeDays * DAY_MS);
}

/**
 * The most a post with this rank key can be worth now, when C has moved from cRef. Quality at C
 * over quality at cRef, (sum + m·C)/(sum + m·cRef), is at most max(1, C/cRef) because sum >= 0;
 * and freshness never exceeds 2^((publishedAt − now)/half-life) (a future date counts as now).
 */
export function keyBound(key: number, prior: number, cRef: number, halfLifeDays: number, now: number): number {
  return Math.max(1, prior / cRef) * 2 ** (key - now / (halfLifeDays * DAY_MS));
}
