import type { QuestionState } from '../db/schema.ts';
import type { UserErrorCode } from '../discord/user-error.ts';
import { UserError } from '../discord/user-error.ts';

/** The facts about a question the decisions need; a `questions` row satisfies it. */
export interface QuestionFacts {
  state: QuestionState;
  first_answer_at: number | null;
  reminded_at: number | null;
  nudged_at: number | null;
  archived_at: number | null;
}

/** Who acts: the asker or a moderator (ManageMessages, checked server-side by the caller). */
export interface Actor {
  by: string;
  isAsker: boolean;
  isModerator: boolean;
}

export type QuestionEventInput =
  | { kind: 'answer'; byAsker: boolean }
  | ({ kind: 'solve' } & Actor)
  | ({ kind: 'reopen' } & Actor)
  | { kind: 'remind' }
  | { kind: 'nudge' }
  | { kind: 'stale' }
  | { kind: 'archive' };

export type Transition =
  | { ok: true; state: QuestionState; changed: boolean }
  | { ok: false; code: UserErrorCode; reason: string };

const to = (from: QuestionFacts, state: QuestionState): Transition => ({ ok: true, state, changed: state !== from.state });
const refuse = (code: UserErrorCode, reason: string): Transition => ({ ok: false, code, reason });

/**
 * Pure: what a question becomes after an event, or why the event is refused. No I/O, no clock.
 * Jobs treat a refusal as "nothing to do" (which is what makes each follow-up happen at most once).
 */
export function nextQuestionState(q: QuestionFacts, event: QuestionEventInput): Transition {
  switch (event.kind) {
    case 'answer':
      // The asker adding details is not an answer; answers in solved/stale threads change nothing.
      if (event.byAsker) return to(q, q.state);
      return to(q, q.state === 'open' ? 'answered' : q.state);
    case 'solve':
      if (!event.isAsker && !event.isModerator) return refuse('forbidden', 'Only the person who asked or a moderator can mark the solution.');
      if (q.state === 'solved') return refuse('conflict', 'This question is already solved. Use /reopen first to pick another answer.');
      if (q.state === 'stale') return refuse('conflict', 'This question was closed as stale. Use /reopen first, then mark the solution.');
      return to(q, 'solved');
    case 'reopen':
      if (!event.isAsker && !event.isModerator) return refuse('forbidden', 'Only the person who asked or a moderator can reopen a question.');
      if (q.state !== 'solved' && q.state !== 'stale') return refuse('conflict', 'This question is still open, so there is nothing to reopen.');
      return to(q, q.first_answer_at !== null ? 'answered' : 'open');
    case 'remind':
      if (q.state !== 'open') return refuse('conflict', 'Only an unanswered question gets a reminder.');
      if (q.reminded_at !== null) return refuse('conflict', 'The experts were already reminded once.');
      return to(q, 'open');
    case 'nudge':
      if (q.state !== 'answered') return refuse('conflict', 'Only an answered, unsolved question gets a nudge.');
      if (q.nudged_at !== null) return refuse('conflict', 'The asker was already nudged once.');
      return to(q, 'answered');
    case 'stale':
      if (q.state !== 'open' && q.state !== 'answered') return refuse('conflict', 'Only an open question can go stale.');
      return to(q, 'stale');
    case 'archive':
      if (q.state !== 'solved' && q.state !== 'stale') return refuse('conflict', 'Only a solved or stale question is archived.');
      if (q.archived_at !== null) return refuse('conflict', 'The thread is already archived.');
      return to(q, q.state);
  }
}

/** The new state, or the refusal thrown as the UserError the dispatcher renders. */
export function requireTransition(q: QuestionFacts, event: QuestionEventInput): { state: QuestionState; changed: boolean } {
  const t = nextQuestionState(q, event);
  if (!t.ok) throw new UserError(t.code, t.reason);
  return t;
}
