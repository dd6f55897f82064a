import { describe, expect, it } from 'vitest';
import type { DecisionAction, PostState } from '../../src/db/schema-posts.ts';
import { nextPost, VISIBLE, type Actor, type PostEvent, type PostFacts, type Review } from '../../src/posts/post-state.ts';

const STATES: PostState[] = ['pending', 'changes_requested', 'rejected', 'approved', 'published', 'unpublished'];
const REVIEWS: Review[] = [null, { versionId: 1, status: 'pending' }, { versionId: 1, status: 'changes_requested' }];
const ACTORS: Actor[] = [
  { isAuthor: true, isModerator: false },
  { isAuthor: false, isModerator: true },
  { isAuthor: true, isModerator: true },
  { isAuthor: false, isModerator: false },
];
const ACTIONS: DecisionAction[] = ['approve', 'reject', 'request_changes', 'unpublish', 'reverse'];

/** The facts a real post can have (what the services maintain). */
function valid(f: PostFacts): boolean {
  const visible = VISIBLE.has(f.state);
  if (visible !== f.hasPoints) return false;
  if (visible && f.publishedVersionId === null) return false;
  switch (f.state) {
    case 'pending': return f.review?.status === 'pending';
    case 'changes_requested': return f.review?.status === 'changes_requested';
    case 'rejected': return f.review === null;
    case 'unpublished': return f.review === null && f.publishedVersionId !== null;
    default: return true;
  }
}

const ALL_FACTS: PostFacts[] = STATES.flatMap((state) => REVIEWS.flatMap((review) => [null, 2].flatMap((publishedVersionId) =>
  [false, true].map((hasPoints) => ({ state, review, publishedVersionId, hasPoints })))));
const FACTS = ALL_FACTS.filter(valid);

const EVENTS: PostEvent[] = ACTORS.flatMap((actor): PostEvent[] => [
  { kind: 'submit', versionId: 3, actor },
  ...(['approve', 'reject', 'request_changes'] as const).flatMap((kind) => [1, 9].map((versionId) => ({ kind, versionId, actor }))),
  { kind: 'unpublish', actor },
  ...ACTIONS.flatMap((action) => [1, 2].flatMap((versionId) => [true, false].flatMap((isLatest) => [true, false].map((byAuthor) => ({ kind: 'reverse' as const, decision: { action, versionId, byAuthor }, isLatest, actor }))))),
]).concat([{ kind: 'posted' }]);

const base = (state: PostState, review: Review = null, publishedVersionId: number | null = null): PostFacts => ({ state, review, publishedVersionId, hasPoints: VISIBLE.has(state) });
const mod: Actor = { isAuthor: false, isModerator: true };
const author: Actor = { isAuthor: true, isModerator: false };
const pending1: Review = { versionId: 1, status: 'pending' };

describe('the post state machine', () => {
  it(`keeps every one of the ${FACTS.length} valid post states valid under all ${EVENTS.length} events`, () => {
    expect(FACTS.length).toBeGreaterThan(10);
    for (const f of FACTS) {
      for (const e of EVENTS) {
        const t = nextPost(f, e);
        if (!t.ok) continue;
        const after: PostFacts = { state: t.state, review: t.review, publishedVersionId: t.publishedVersionId, hasPoints: t.points === 'award' ? true : t.points === 'reverse' ? false : f.hasPoints };
        expect(valid(after), `${JSON.stringify(f)} + ${JSON.stringify(e)} -> ${JSON.stringify(after)}`).toBe(true);
        // Points follow visibility, and only visibility.
        const was = VISIBLE.has(f.state);
        const is = VISIBLE.has(t.state);
        expect(t.points).toBe(!was && is ? 'award' : was && !is ? 'reverse' : null);
      }
    }
  });

  it('lets only moderators decide and reverse, only authors submit, and the author or a moderator unpublish', () => {
    for (const f of FACTS) {
      for (const e of EVENTS) {
        if (e.kind === 'posted') continue;
        const t = nextPost(f, e);
        if (!t.ok) continue;
        if (e.kind === 'submit') expect(e.actor.isAuthor).toBe(true);
        else if (e.kind === 'unpublish') expect(e.actor.isAuthor || e.actor.isModerator).toBe(true);
        else expect(e.actor.isModerator).toBe(true);
      }
    }
    expect(nextPost(base('pending', pending1), { kind: 'approve', versionId: 1, actor: author })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(nextPost(base('published', null, 2), { kind: 'unpublish', actor: { isAuthor: false, isModerator: false } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(nextPost(base('rejected'), { kind: 'submit', versionId: 3, actor: mod })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('walks a first submission through every decision', () => {
    const p = base('pending', pending1);
    expect(nextPost(p, { kind: 'approve', versionId: 1, actor: mod })).toEqual({ ok: true, state: 'approved', review: null, publishedVersionId: 1, versions: [[1, 'approved']], points: 'award' });
    expect(nextPost(p, { kind: 'reject', versionId: 1, actor: mod })).toEqual({ ok: true, state: 'rejected', review: null, publishedVersionId: null, versions: [[1, 'rejected']], points: null });
    expect(nextPost(p, { kind: 'request_changes', versionId: 1, actor: mod })).toEqual({ ok: true, state: 'changes_requested', review: { versionId: 1, status: 'changes_requested' }, publishedVersionId: null, versions: [[1, 'changes_requested']], points: null });
    // A version that is not the one under review (an old card) cannot be decided.
    expect(nextPost(p, { kind: 'approve', versionId: 9, actor: mod })).toMatchObject({ ok: false, code: 'conflict' });
    // The second of two clicks: the version is no longer pending.
    expect(nextPost(base('approved', null, 1), { kind: 'approve', versionId: 1, actor: mod })).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('approved', null, 1), { kind: 'posted' })).toMatchObject({ ok: true, state: 'published', points: null });
    expect(nextPost(base('published', null, 1), { kind: 'posted' })).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('puts a resubmission after changes or a rejection back in the queue, superseding the old version', () => {
    expect(nextPost(base('changes_requested', { versionId: 1, status: 'changes_requested' }), { kind: 'submit', versionId: 3, actor: author }))
      .toEqual({ ok: true, state: 'pending', review: { versionId: 3, status: 'pending' }, publishedVersionId: null, versions: [[1, 'superseded'], [3, 'pending']], points: null });
    expect(nextPost(base('rejected'), { kind: 'submit', versionId: 3, actor: author })).toMatchObject({ ok: true, state: 'pending', versions: [[3, 'pending']] });
    expect(nextPost(base('unpublished', null, 2), { kind: 'submit', versionId: 3, actor: author })).toMatchObject({ ok: true, state: 'pending', publishedVersionId: 2 });
  });

  it('keeps a published post visible while its edit is reviewed; an approved edit earns nothing', () => {
    const edited = nextPost(base('published', null, 2), { kind: 'submit', versionId: 3, actor: author });
    expect(edited).toEqual({ ok: true, state: 'published', review: { versionId: 3, status: 'pending' }, publishedVersionId: 2, versions: [[3, 'pending']], points: null });
    const p = base('published', { versionId: 3, status: 'pending' }, 2);
    expect(nextPost(p, { kind: 'approve', versionId: 3, actor: mod })).toEqual({ ok: true, state: 'published', review: null, publishedVersionId: 3, versions: [[3, 'approved']], points: null });
    expect(nextPost(p, { kind: 'reject', versionId: 3, actor: mod })).toMatchObject({ ok: true, state: 'published', publishedVersionId: 2, review: null });
    expect(nextPost(p, { kind: 'request_changes', versionId: 3, actor: mod })).toMatchObject({ ok: true, state: 'published', review: { versionId: 3, status: 'changes_requested' } });
  });

  it('unpublishes only a visible post, withdrawing its pending edit and reversing its points', () => {
    expect(nextPost(base('published', { versionId: 3, status: 'pending' }, 2), { kind: 'unpublish', actor: author }))
      .toEqual({ ok: true, state: 'unpublished', review: null, publishedVersionId: 2, versions: [[3, 'withdrawn']], points: 'reverse' });
    for (const state of ['pending', 'changes_requested', 'rejected', 'unpublished'] as const) {
      const f = FACTS.find((x) => x.state === state)!;
      expect(nextPost(f, { kind: 'unpublish', actor: mod })).toMatchObject({ ok: false, code: 'conflict' });
    }
  });

  it('reverses only the latest decision, each back to where it came from', () => {
    const r = (action: DecisionAction, versionId: number, isLatest = true, byAuthor = false): PostEvent => ({ kind: 'reverse', decision: { action, versionId, byAuthor }, isLatest, actor: mod });
    expect(nextPost(base('published', null, 2), r('approve', 2))).toEqual({ ok: true, state: 'pending', review: { versionId: 2, status: 'pending' }, publishedVersionId: null, versions: [[2, 'pending']], points: 'reverse' });
    expect(nextPost(base('rejected'), r('reject', 1))).toMatchObject({ ok: true, state: 'pending', review: pending1, versions: [[1, 'pending']] });
    expect(nextPost(base('published', null, 2), r('reject', 3))).toMatchObject({ ok: true, state: 'published', review: { versionId: 3, status: 'pending' } });
    expect(nextPost(base('changes_requested', { versionId: 1, status: 'changes_requested' }), r('request_changes', 1))).toMatchObject({ ok: true, state: 'pending', review: pending1 });
    expect(nextPost(base('unpublished', null, 2), r('unpublish', 2))).toEqual({ ok: true, state: 'approved', review: null, publishedVersionId: 2, versions: [], points: 'award' });
    // Refused: not the latest, a reversal, a newer version waiting, an approval no longer shown.
    expect(nextPost(base('published', null, 2), r('approve', 2, false))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('pending', pending1), r('reverse', 1))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('published', { versionId: 3, status: 'pending' }, 2), r('approve', 2))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('pending', { versionId: 3, status: 'pending' }), r('reject', 1))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('published', null, 3), r('approve', 2))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('pending', pending1, 2), r('unpublish', 2))).toMatchObject({ ok: false, code: 'conflict' });
    expect(nextPost(base('rejected'), { ...r('reject', 1), actor: author } as PostEvent)).toMatchObject({ ok: false, code: 'forbidden' });
    // An author's own unpublish is theirs to undo (by editing), not a moderator's.
    expect(nextPost(base('unpublished', null, 2), r('unpublish', 2, true, true))).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses every decision on a version that is not pending, in every state', () => {
    for (const f of FACTS) {
      for (const kind of ['approve', 'reject', 'request_changes'] as const) {
        const t = nextPost(f, { kind, versionId: 1, actor: mod });
        expect(t.ok, `${kind} on ${JSON.stringify(f)}`).toBe(f.review?.versionId === 1 && f.review.status === 'pending');
      }
    }
  });
});
