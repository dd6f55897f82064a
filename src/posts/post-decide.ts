// Moderator decisions, unpublishing and reversals. Each runs in one transaction: the transition
// (post-state.ts), the decision row (audit trail), points, the author's DM (outbox) and, when a
// version goes back to the queue, its new card. The Discord message follows via post-publish.ts.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DecisionAction } from '../db/schema-posts.ts';
import { UserError } from '../discord/user-error.ts';
import { enqueueMessage } from '../membership/outbox.ts';
import { reversePoints, reversePointsByPrefix } from '../qa/points.ts';
import { awardPoints } from '../reputation/award.ts';
import { channelFor, outcomeDm } from './post-messages.ts';
import type { PostPorts } from './post-ports.ts';
import { requireTransition, VISIBLE, type PostEvent } from './post-state.ts';
import { factsOf, findDecision, findVersion, insertDecision, lastDecisionOn, latestDecision, loadPost, writeOutcome, type DecisionRow, type PostRow, type VersionRow } from './posts-repo.ts';
import { queueCard } from './review-queue.ts';
import { ts, verb } from './review-card.ts';

export interface Decided {
  post: PostRow;
  version: VersionRow;
  decision: DecisionRow;
  /** Points credited to the author by this decision (0 for an edit, or when the daily cap is reached). */
  points: number;
}

type Trx = Transaction<Database>;
interface Step { post: PostRow; review: VersionRow | undefined; event: PostEvent; versionId: number; actorId: string; action: DecisionAction; reason: string | null; reversesId?: number }

async function apply(trx: Trx, ports: PostPorts, s: Step, now: number): Promise<Decided> {
  const outcome = requireTransition(factsOf(s.post, s.review), s.event);
  const decision = await insertDecision(trx, { postId: s.post.id, versionId: s.versionId, actorId: s.actorId, action: s.action, reason: s.reason, at: now, reversesId: s.reversesId });
  const extra: Partial<PostRow> = {};
  if (outcome.publishedVersionId !== null && outcome.publishedVersionId !== s.post.published_version_id) {
    const shown = (await findVersion(trx, outcome.publishedVersionId))!;
    Object.assign(extra, { title: shown.title, kind: shown.kind });
  }
  let points = 0;
  if (outcome.points === 'award') {
    // A fresh ref per approval: a ref once reversed can never be credited again.
    const ref = `post:${s.post.id}:approval:${decision.id}`;
    points = await awardPoints(trx, ports.reputation, ports.timeZone, { memberId: s.post.author_id, amount: ports.reputation.points.postApproved, source: 'post_approved', ref, at: now });
    extra.points_ref = ref;
  } else if (outcome.points === 'reverse') {
    await reversePoints(trx, 'post_approved', s.post.points_ref!, now);
    await reversePointsByPrefix(trx, 'rating', `post:${s.post.id}:rating:`, now);
    extra.points_ref = null;
  }
  const post = await writeOutcome(trx, s.post, outcome, extra, now);
  const version = (await findVersion(trx, s.versionId))!;
  if (s.action === 'reverse' && outcome.review?.status === 'pending') {
    await queueCard(trx, ports, post, version, now, `reversed:${decision.id}`, `Back in the queue: the earlier decision was reversed by <@${s.actorId}>.`);
  }
  if (s.actorId !== post.author_id) {
    const isEdit = s.action === 'approve' && VISIBLE.has(s.post.state);
    const body = outcomeDm({
      action: s.action, postId: post.id, title: version.title, reason: s.reason, channelId: channelFor(ports.setup, post.audience_tier),
      points, isEdit, now: outcome.state === 'approved' || outcome.state === 'published' ? 'published' : 'pending',
    });
    await enqueueMessage(trx, { target: { userId: post.author_id }, body, dedupeKey: `post-outcome:${decision.id}`, reason: `posts: ${s.action} of post #${post.id}`, source: `post:${post.id}`, now });
  }
  return { post, version, decision, points };
}

function after(ports: PostPorts, d: Decided, moderatorAction: boolean): void {
  ports.outbox.kick();
  if (moderatorAction) ports.activity.record({ userId: d.decision.actor_id, kind: 'post_decided', at: d.decision.at, ref: `post:${d.post.id}` });
  ports.logger.info({ postId: d.post.id, versionId: d.version.id, decisionId: d.decision.id, action: d.decision.action, actorId: d.decision.actor_id, state: d.post.state }, 'post decision');
}

/** What the loser of a race (or a click on an old card) is told. */
export async function alreadyDecided(db: PostPorts['db'] | Trx, version: VersionRow): Promise<UserError> {
  if (version.status === 'superseded' || version.status === 'withdrawn') {
    return new UserError('conflict', `This version was ${version.status === 'superseded' ? 'replaced by a newer edit from the author: review its card instead' : 'withdrawn when the post was unpublished'}.`);
  }
  const last = await lastDecisionOn(db, version.id);
  return new UserError('conflict', last ? `Already decided by <@${last.actor_id}> at ${ts(last.at)}: ${verb(last.action)}.` : 'This version is no longer waiting for review.');
}

export async function decideVersion(ports: PostPorts, input: { versionId: number; action: 'approve' | 'reject' | 'request_changes'; actorId: string; reason: string | null }): Promise<Decided> {
  const now = ports.clock.now();
  const decided = await ports.db.transaction().execute(async (trx) => {
    const version = await findVersion(trx, input.versionId);
    if (!version) throw new UserError('not_found', 'That post version no longer exists.');
    if (version.status !== 'pending') throw await alreadyDecided(trx, version);
    if (version.author_id === input.actorId) throw new UserError('forbidden', 'You cannot review your own post: another moderator decides.');
    const { post, review } = await loadPost(trx, version.post_id);
    const event: PostEvent = { kind: input.action, versionId: version.id, actor: { isAuthor: false, isModerator: true } };
    return apply(trx, ports, { post, review, event, versionId: version.id, actorId: input.actorId, action: input.action, reason: input.reason }, now);
  });
  after(ports, decided, true);
  return decided;
}

export async function unpublishPost(ports: PostPorts, input: { postId: number; actorId: string; isModerator: boolean; reason: string | null }): Promise<Decided> {
  const now = ports.clock.now();
  const decided = await ports.db.transaction().execute(async (trx) => {
    const { post, review } = await loadPost(trx, input.postId);
    const isAuthor = post.author_id === input.actorId;
    const event: PostEvent = { kind: 'unpublish', actor: { isAuthor, isModerator: input.isModerator } };
    const versionId = post.published_version_id ?? post.review_version_id ?? 0;
    return apply(trx, ports, { post, review, event, versionId, actorId: input.actorId, action: 'unpublish', reason: input.reason }, now);
  });
  after(ports, decided, decided.post.author_id !== input.actorId);
  return decided;
}

export async function reverseDecision(ports: PostPorts, input: { decisionId: number; actorId: string; reason: string }): Promise<Decided & { reversed: DecisionRow }> {
  const now = ports.clock.now();
  const decided = await ports.db.transaction().execute(async (trx) => {
    const target = await findDecision(trx, input.decisionId);
    if (!target) throw new UserError('not_found', 'That decision no longer exists.');
    if (target.reversed_by_id !== null) {
      const by = (await findDecision(trx, target.reversed_by_id))!;
      throw new UserError('conflict', `It was already reversed by <@${by.actor_id}> at ${ts(by.at)}.`);
    }
    const { post, review } = await loadPost(trx, target.post_id);
    const latest = await latestDecision(trx, post.id);
    const event: PostEvent = { kind: 'reverse', decision: { action: target.action, versionId: target.version_id, byAuthor: target.actor_id === post.author_id }, isLatest: latest?.id === target.id, actor: { isAuthor: false, isModerator: true } };
    const step = { post, review, event, versionId: target.version_id, actorId: input.actorId, action: 'reverse' as const, reason: input.reason, reversesId: target.id };
    const applied = await apply(trx, ports, step, now);
    return { ...applied, reversed: { ...target, reversed_by_id: applied.decision.id } };
  });
  after(ports, decided, true);
  return decided;
}
