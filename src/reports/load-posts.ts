// Posts as the metric functions read them (metrics/input.ts: one PostReview per time a version sat
// in the review queue, with the decision that took it out).
//
// A version enters the queue when submitted, and again when a moderator reverses the decision on it
// (approve, reject or request changes: post-state.ts puts the version back to pending). It leaves
// the queue with a decision, when a newer version of the post is submitted (superseded), or when the
// post is unpublished (withdrawn). The queue is read from post_versions and post_decisions alone.
//
// A PostReview has one decision and is pending from submitted_at until decided or closed. The first
// stint of a version maps to exactly that. A later stint (after a reversal at R) becomes two reviews:
// the queue part { submitted_at: R, closed_at: when it left }, never decided, and the decision part
// { submitted_at: the version's submission, decision, closed_at: that submission }, never pending
// (pendingAt needs closed_at >= t > submitted_at), so the decision's review time is counted from the
// version's submission, as docs/metrics.md defines it.
import type { Db } from '../db/database.ts';
import type { Post, PostReview, ReviewAction } from './metrics/input.ts';

interface Version {
  id: number;
  post_id: number;
  submitted_at: number;
}

interface Decision {
  version_id: number;
  action: string;
  at: number;
  reverses_action: string | null;
}

const REVIEWS: ReadonlySet<string> = new Set<ReviewAction>(['approve', 'reject', 'request_changes']);

/** One post: its versions (oldest first) and its decisions in the order they were made. */
function reviewsOf(versions: readonly Version[], decisions: readonly Decision[]): PostReview[] {
  type Stint = { version: Version; start: number; first: boolean };
  const out: PostReview[] = [];
  const open: Stint[] = [];
  const close = (stint: Stint, at: number, decision: { action: ReviewAction; at: number } | null) => {
    open.splice(open.indexOf(stint), 1);
    const s = stint.version.submitted_at;
    if (stint.first) out.push({ submitted_at: s, decision, closed_at: decision ? null : at });
    else {
      out.push({ submitted_at: stint.start, decision: null, closed_at: at });
      if (decision) out.push({ submitted_at: s, decision, closed_at: s });
    }
  };
  // Submissions and decisions merged by time; at equal times a submission comes first (a version
  // cannot be decided before it exists).
  const steps = [
    ...versions.map((v) => ({ at: v.submitted_at, order: 0, version: v, decision: null })),
    ...decisions.map((d, i) => ({ at: d.at, order: 1 + i, version: versions.find((v) => v.id === d.version_id), decision: d })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) {
    const { decision, version } = step;
    if (!decision) {
      // A new version supersedes whatever of the post was still waiting.
      for (const stint of [...open]) close(stint, step.at, null);
      open.push({ version: version!, start: step.at, first: true });
    } else if (REVIEWS.has(decision.action)) {
      const stint = open.find((s) => s.version.id === decision.version_id);
      if (stint) close(stint, decision.at, { action: decision.action as ReviewAction, at: decision.at });
    } else if (decision.action === 'unpublish') {
      for (const stint of [...open]) close(stint, decision.at, null);
    } else if (decision.action === 'reverse' && decision.reverses_action !== null && REVIEWS.has(decision.reverses_action) && version) {
      if (!open.some((s) => s.version.id === version.id)) open.push({ version, start: decision.at, first: false });
    }
  }
  for (const stint of [...open]) {
    const s = stint.version.submitted_at;
    open.splice(open.indexOf(stint), 1);
    out.push({ submitted_at: stint.first ? s : stint.start, decision: null, closed_at: null });
  }
  // The post's submission (reviews[0]) is its first version's first stint.
  return out.sort((a, b) => a.submitted_at - b.submitted_at);
}

export async function loadPosts(db: Db): Promise<Post[]> {
  const versions = await db.selectFrom('post_versions').select(['id', 'post_id', 'submitted_at']).orderBy('post_id').orderBy('number').execute();
  const decisions = await db
    .selectFrom('post_decisions as d')
    .leftJoin('post_decisions as r', 'r.id', 'd.reverses_id')
    .select(['d.post_id', 'd.version_id', 'd.action', 'd.at', 'r.action as reverses_action'])
    .orderBy('d.at')
    .orderBy('d.id')
    .execute();
  const byPost = new Map<number, { versions: Version[]; decisions: Decision[] }>();
  const of = (id: number) => {
    let p = byPost.get(id);
    if (!p) byPost.set(id, (p = { versions: [], decisions: [] }));
    return p;
  };
  for (const v of versions) of(v.post_id).versions.push(v);
  for (const d of decisions) of(d.post_id).decisions.push(d);
  return [...byPost.values()].filter((p) => p.versions.length > 0).map((p) => ({ reviews: reviewsOf(p.versions, p.decisions) }));
}
