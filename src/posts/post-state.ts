// The post state machine: pure, no I/O, no clock. Services load the facts, ask nextPost what an
// event does, and write the outcome (post row, version statuses, points) in one transaction.
import type { DecisionAction, PostState, VersionStatus } from '../db/schema-posts.ts';
import type { UserErrorCode } from '../discord/user-error.ts';
import { UserError } from '../discord/user-error.ts';

export type Review = { versionId: number; status: 'pending' | 'changes_requested' } | null;

/** What the decisions need to know about a post; posts-repo builds it from a row. */
export interface PostFacts {
  state: PostState;
  /** The version a moderator (pending) or the author (changes_requested) must act on next. */
  review: Review;
  /** Shown while approved/published; kept while unpublished so a reversal can restore it. */
  publishedVersionId: number | null;
  /** An approval credit is active in the points ledger. */
  hasPoints: boolean;
}

export interface Actor {
  isAuthor: boolean;
  isModerator: boolean;
}

export type PostEvent =
  | { kind: 'submit'; versionId: number; actor: Actor }
  | { kind: 'approve' | 'reject' | 'request_changes'; versionId: number; actor: Actor }
  | { kind: 'unpublish'; actor: Actor }
  | { kind: 'posted' }
  | { kind: 'reverse'; decision: { action: DecisionAction; versionId: number; byAuthor: boolean }; isLatest: boolean; actor: Actor };

export interface Outcome {
  state: PostState;
  review: Review;
  publishedVersionId: number | null;
  /** Version statuses to write. */
  versions: [versionId: number, status: VersionStatus][];
  /** award: the post became visible without an active credit; reverse: it stopped being visible with one. An approved edit earns nothing. */
  points: 'award' | 'reverse' | null;
}

export type Transition = ({ ok: true } & Outcome) | { ok: false; code: UserErrorCode; reason: string };

export const VISIBLE: ReadonlySet<PostState> = new Set(['approved', 'published']);
const refuse = (code: UserErrorCode, reason: string): Transition => ({ ok: false, code, reason });

function settle(p: PostFacts, next: Omit<Outcome, 'points'>): Transition {
  const was = VISIBLE.has(p.state);
  const is = VISIBLE.has(next.state);
  const points = !was && is && !p.hasPoints ? 'award' : was && !is && p.hasPoints ? 'reverse' : null;
  return { ok: true, ...next, points };
}

const underReview = (p: PostFacts, versionId: number) => p.review?.versionId === versionId && p.review.status === 'pending';

export function nextPost(p: PostFacts, e: PostEvent): Transition {
  const visible = VISIBLE.has(p.state);
  switch (e.kind) {
    case 'submit': {
      if (!e.actor.isAuthor) return refuse('forbidden', 'Only the author can edit a post.');
      const versions: Outcome['versions'] = [[e.versionId, 'pending']];
      if (p.review) versions.unshift([p.review.versionId, 'superseded']);
      // A visible post stays as it is until the new version is approved.
      return settle(p, { state: visible ? p.state : 'pending', review: { versionId: e.versionId, status: 'pending' }, publishedVersionId: p.publishedVersionId, versions });
    }
    case 'approve':
    case 'reject':
    case 'request_changes': {
      if (!e.actor.isModerator) return refuse('forbidden', 'Only moderators review posts.');
      if (!underReview(p, e.versionId)) return refuse('conflict', 'This version is no longer waiting for review.');
      if (e.kind === 'approve') {
        return settle(p, { state: visible ? p.state : 'approved', review: null, publishedVersionId: e.versionId, versions: [[e.versionId, 'approved']] });
      }
      if (e.kind === 'reject') {
        return settle(p, { state: visible ? p.state : 'rejected', review: null, publishedVersionId: p.publishedVersionId, versions: [[e.versionId, 'rejected']] });
      }
      return settle(p, {
        state: visible ? p.state : 'changes_requested', review: { versionId: e.versionId, status: 'changes_requested' },
        publishedVersionId: p.publishedVersionId, versions: [[e.versionId, 'changes_requested']],
      });
    }
    case 'unpublish': {
      if (!e.actor.isAuthor && !e.actor.isModerator) return refuse('forbidden', 'Only the author or a moderator can unpublish a post.');
      if (!visible) return refuse('conflict', 'This post is not published.');
      // A pending edit of it goes too: there is nothing left for it to replace.
      const versions: Outcome['versions'] = p.review ? [[p.review.versionId, 'withdrawn']] : [];
      return settle(p, { state: 'unpublished', review: null, publishedVersionId: p.publishedVersionId, versions });
    }
    case 'posted':
      if (p.state !== 'approved') return refuse('conflict', 'Only an approved post is waiting to be posted.');
      return settle(p, { state: 'published', review: p.review, publishedVersionId: p.publishedVersionId, versions: [] });
    case 'reverse':
      return reverse(p, e);
  }
}

function reverse(p: PostFacts, e: Extract<PostEvent, { kind: 'reverse' }>): Transition {
  if (!e.actor.isModerator) return refuse('forbidden', 'Only moderators can reverse a decision.');
  const d = e.decision;
  if (d.action === 'reverse') return refuse('conflict', 'A reversal cannot be reversed: decide on the post again instead.');
  if (!e.isLatest) return refuse('conflict', 'Only the latest decision on a post can be reversed, and this one was already followed by another or reversed.');
  // Republishing against the author's wish is not a moderator's call: they edit it to bring it back.
  if (d.action === 'unpublish' && d.byAuthor) return refuse('forbidden', 'Its author took this post down: only they can bring it back, by editing it (/post edit).');
  const backToReview = { versionId: d.versionId, status: 'pending' as const };
  const newer = 'A newer version of this post is waiting: decide on that one instead.';
  switch (d.action) {
    case 'approve':
      if (!VISIBLE.has(p.state) || p.publishedVersionId !== d.versionId) return refuse('conflict', 'This approval no longer shows: the post was unpublished or replaced since.');
      if (p.review) return refuse('conflict', newer);
      // Undoing an approval takes the post down and puts that version back in the queue.
      return settle(p, { state: 'pending', review: backToReview, publishedVersionId: null, versions: [[d.versionId, 'pending']] });
    case 'reject':
      if (p.review || (p.state !== 'rejected' && !VISIBLE.has(p.state))) return refuse('conflict', newer);
      return settle(p, { state: p.state === 'rejected' ? 'pending' : p.state, review: backToReview, publishedVersionId: p.publishedVersionId, versions: [[d.versionId, 'pending']] });
    case 'request_changes':
      if (p.review?.versionId !== d.versionId || p.review.status !== 'changes_requested') return refuse('conflict', newer);
      return settle(p, { state: p.state === 'changes_requested' ? 'pending' : p.state, review: backToReview, publishedVersionId: p.publishedVersionId, versions: [[d.versionId, 'pending']] });
    case 'unpublish':
      if (p.state !== 'unpublished' || p.review || p.publishedVersionId === null) return refuse('conflict', 'This post changed since it was unpublished.');
      return settle(p, { state: 'approved', review: null, publishedVersionId: p.publishedVersionId, versions: [] });
  }
}

/** The outcome, or the refusal thrown as the UserError the dispatcher renders. */
export function requireTransition(p: PostFacts, e: PostEvent): Outcome {
  const t = nextPost(p, e);
  if (!t.ok) throw new UserError(t.code, t.reason);
  return t;
}
