// Challenge entries and the post review pipeline.
import type { Post, PostReview } from './input.ts';
import { median } from './stats.ts';
import { MINUTE, WEEK, within } from './time.ts';
import type { Metrics } from './types.ts';

type ContentMetrics = Pick<Metrics, 'challenge_entries' | 'posts_submitted' | 'posts_approved' | 'posts_rejected' | 'median_review_minutes' | 'review_queue'>;

/** Awaiting a decision at t: submitted before t, neither decided nor closed by t. */
export const pendingAt = (r: PostReview, t: number): boolean =>
  r.submitted_at < t && (r.decision === null || r.decision.at >= t) && (r.closed_at === null || r.closed_at >= t);

export function contentMetrics(entries: readonly number[], posts: readonly Post[], asOf: number): ContentMetrics {
  const from = asOf - WEEK;
  const decided = posts.flatMap((p) => p.reviews).filter((r) => r.decision !== null && within(r.decision.at, from, asOf));
  return {
    challenge_entries: entries.filter((at) => within(at, from, asOf)).length,
    posts_submitted: posts.filter((p) => p.reviews[0] !== undefined && within(p.reviews[0].submitted_at, from, asOf)).length,
    posts_approved: decided.filter((r) => r.decision!.action === 'approve').length,
    posts_rejected: decided.filter((r) => r.decision!.action === 'reject').length,
    median_review_minutes: median(decided.map((r) => (r.decision!.at - r.submitted_at) / MINUTE)),
    review_queue: posts.filter((p) => p.reviews.some((r) => pendingAt(r, asOf))).length,
  };
}
