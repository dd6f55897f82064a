import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { awardPoints } from '../reputation/award.ts';
import { creditPoints, reversePoints, type Credit } from './points.ts';
import type { PointCaps } from './ports.ts';
import { nextQuestionState, requireTransition, type Actor } from './question-state.ts';
import { findOrThrow, inTransaction, recordEvent, solutionExcerpt, update, type QuestionRow } from './questions-repo.ts';
import { indexSolved, unindexSolved } from './search.ts';

type Q = Kysely<Database>;

export interface SolveInput {
  questionId: number;
  /** Who marks it; `isAsker` is derived from the row, so only the moderator flag comes from the caller. */
  actor: { by: string; isModerator: boolean };
  solutionMessageId: string;
  solutionAuthorId: string;
  /** The solution message's text (a message context-menu interaction carries it); only 300 characters are kept. */
  solutionText: string;
  at: number;
  /** solutionPoints from the Q&A setup. */
  points: number;
  /** When the thread should be archived (at + archiveHours), or null to leave it. */
  archiveDueAt: number | null;
  /** The reputation file's daily cap for solution points; uncapped when absent. */
  caps?: PointCaps;
}

const creditRef = (questionId: number, solveEventId: number) => `question:${questionId}:solve:${solveEventId}`;

/**
 * One transaction: state, solution fields, the search row, the answerer's points (not for the asker's own
 * message) and the 'solved' event. Marking the same message again is a no-op; another message is refused.
 */
export function markSolved(db: Q, s: SolveInput): Promise<{ question: QuestionRow; changed: boolean; credited: boolean }> {
  return inTransaction(db, async (trx) => {
    const q = await findOrThrow(trx, s.questionId);
    const actor: Actor = { by: s.actor.by, isModerator: s.actor.isModerator, isAsker: s.actor.by === q.asker_id };
    if (q.state === 'solved' && q.solution_message_id === s.solutionMessageId && (actor.isAsker || actor.isModerator)) {
      return { question: q, changed: false, credited: false };
    }
    requireTransition(q, { kind: 'solve', ...actor });
    const question = await update(trx, q.id, {
      state: 'solved',
      solution_message_id: s.solutionMessageId,
      solution_author_id: s.solutionAuthorId,
      solution_excerpt: solutionExcerpt(s.solutionText),
      solved_at: s.at,
      solved_by: actor.by,
      last_activity_at: Math.max(q.last_activity_at, s.at),
      archive_due_at: s.archiveDueAt,
      archived_at: null,
    });
    await indexSolved(trx, question);
    const eventId = await recordEvent(trx, {
      questionId: q.id, kind: 'solved', actorId: actor.by, at: s.at,
      detail: JSON.stringify({ messageId: s.solutionMessageId, authorId: s.solutionAuthorId, moderator: !actor.isAsker }),
    });
    const credit: Credit = { memberId: s.solutionAuthorId, amount: s.points, source: 'qa_solution', ref: creditRef(q.id, eventId), at: s.at };
    const award = async () => (s.caps ? (await awardPoints(trx, s.caps.reputation, s.caps.timeZone, credit)) > 0 : creditPoints(trx, credit));
    const credited = s.solutionAuthorId !== q.asker_id && (await award());
    return { question, changed: true, credited };
  });
}

export interface ReopenInput {
  questionId: number;
  actor: { by: string; isModerator: boolean };
  at: number;
}

/** Undoes solved (or stale): back to answered/open, out of search, the solve's points reversed, an event. */
export function reopen(db: Q, r: ReopenInput): Promise<{ question: QuestionRow; reversed: number }> {
  return inTransaction(db, async (trx) => {
    const q = await findOrThrow(trx, r.questionId);
    const { state } = requireTransition(q, { kind: 'reopen', by: r.actor.by, isModerator: r.actor.isModerator, isAsker: r.actor.by === q.asker_id });
    const question = await update(trx, q.id, {
      state, solution_message_id: null, solution_author_id: null, solution_excerpt: null, solved_at: null, solved_by: null,
      stale_at: null, archive_due_at: null, archived_at: null, last_activity_at: Math.max(q.last_activity_at, r.at),
    });
    await unindexSolved(trx, q.id);
    let reversed = 0;
    if (q.state === 'solved') {
      const solve = await trx.selectFrom('question_events').select('id').where('question_id', '=', q.id).where('kind', '=', 'solved')
        .orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (solve) reversed = await reversePoints(trx, 'qa_solution', creditRef(q.id, solve.id), r.at);
    }
    await recordEvent(trx, { questionId: q.id, kind: 'reopened', actorId: r.actor.by, at: r.at, detail: JSON.stringify({ from: q.state }) });
    return { question, reversed };
  });
}

export type FollowUpKind = 'remind' | 'nudge' | 'stale' | 'archive';
const STAMP = { remind: 'reminded_at', nudge: 'nudged_at', stale: 'stale_at', archive: 'archived_at' } as const;
const EVENT = { remind: 'reminded', nudge: 'nudged', stale: 'stale', archive: 'archived' } as const;

/**
 * For the scheduled jobs: applies a follow-up at most once per question (the state machine refuses a
 * second one, and the stamp is written in the same transaction as the event). Returns the updated row,
 * or null when there is nothing to do. Send the Discord message through the outbox in the same `db`
 * transaction to keep "decided" and "queued" together.
 */
export function applyFollowUp(db: Q, questionId: number, kind: FollowUpKind, at: number, detail?: string): Promise<QuestionRow | null> {
  return inTransaction(db, async (trx) => {
    const q = await findOrThrow(trx, questionId);
    const t = nextQuestionState(q, { kind });
    if (!t.ok) return null;
    const question = await update(trx, q.id, { state: t.state, [STAMP[kind]]: at });
    await recordEvent(trx, { questionId: q.id, kind: EVENT[kind], actorId: null, at, detail: detail ?? null });
    return question;
  });
}
