// Pure decisions about a challenge's and an entry's lifecycle: what an event does, or why it is
// refused. No I/O and no clock (times come in as arguments), so the tests can walk every pair.
import type { ChallengeState, SubmissionState } from '../db/schema-challenges.ts';
import { UserError, type UserErrorCode } from '../discord/user-error.ts';

export const CHALLENGE_STATES: readonly ChallengeState[] = ['scheduled', 'open', 'judging', 'judged', 'cancelled'];
export const SUBMISSION_STATES: readonly SubmissionState[] = ['entered', 'in_review', 'accepted', 'best', 'declined', 'void'];

export type EditableField = 'title' | 'statement' | 'rules' | 'starts_at' | 'deadline_at' | 'points' | 'best_bonus' | 'judges_required' | 'tiers';

const TEXT: EditableField[] = ['title', 'statement', 'rules'];
const SETTINGS: EditableField[] = ['points', 'best_bonus', 'judges_required', 'tiers'];

/**
 * What a moderator may still change. The start is fixed once announced; the deadline, points and
 * entry rules once closed (entries were judged, or points awarded, under them). Typos stay fixable.
 */
export function editableFields(state: ChallengeState): readonly EditableField[] {
  switch (state) {
    case 'scheduled':
      return [...TEXT, 'starts_at', 'deadline_at', ...SETTINGS];
    case 'open':
      return [...TEXT, 'deadline_at', ...SETTINGS];
    case 'judging':
    case 'judged':
      return TEXT;
    case 'cancelled':
      return [];
  }
}

export interface ChallengeFacts {
  state: ChallengeState;
  starts_at: number;
  deadline_at: number;
}

export type ChallengeEvent =
  | { kind: 'announce'; now: number }
  | { kind: 'close'; now: number }
  | { kind: 'complete'; unsettled: number }
  | { kind: 'reopen' }
  | { kind: 'cancel' }
  | { kind: 'edit'; fields: readonly EditableField[] }
  | { kind: 'enter'; now: number };

export type Transition<S> = { ok: true; state: S; changed: boolean } | { ok: false; code: UserErrorCode; reason: string };

const to = <S>(from: S, state: S): Transition<S> => ({ ok: true, state, changed: from !== state });
const refuse = <S>(code: UserErrorCode, reason: string): Transition<S> => ({ ok: false, code, reason });
/** A Discord timestamp: every member reads it in their own zone. */
export const when = (at: number, style: 'f' | 'R' = 'f') => `<t:${Math.floor(at / 1000)}:${style}>`;

export function nextChallengeState(c: ChallengeFacts, event: ChallengeEvent): Transition<ChallengeState> {
  switch (event.kind) {
    case 'announce':
      if (c.state !== 'scheduled') return refuse('conflict', 'This challenge was already announced.');
      if (event.now < c.starts_at) return refuse('conflict', `This challenge starts ${when(c.starts_at)}.`);
      return to(c.state, 'open');
    case 'close':
      if (c.state !== 'open') return refuse('conflict', 'Only an open challenge closes.');
      if (event.now < c.deadline_at) return refuse('conflict', `This challenge closes ${when(c.deadline_at)}.`);
      return to(c.state, 'judging');
    case 'complete':
      if (c.state !== 'judging') return refuse('conflict', 'Only a challenge being judged can complete.');
      if (event.unsettled > 0) return refuse('conflict', `${event.unsettled} entries still wait for a final verdict.`);
      return to(c.state, 'judged');
    case 'reopen':
      if (c.state !== 'judged') return refuse('conflict', 'Only a judged challenge goes back to judging.');
      return to(c.state, 'judging');
    case 'cancel':
      if (c.state === 'cancelled') return refuse('conflict', 'This challenge is already cancelled.');
      if (c.state === 'judged') return refuse('conflict', 'This challenge is already judged and its points awarded: revise verdicts instead.');
      return to(c.state, 'cancelled');
    case 'edit': {
      if (c.state === 'cancelled') return refuse('conflict', 'A cancelled challenge cannot be edited.');
      const allowed = editableFields(c.state);
      const blocked = event.fields.filter((f) => !allowed.includes(f));
      if (blocked.length) return refuse('conflict', `${blocked.map(label).join(', ')} can no longer change: the challenge is ${c.state}.`);
      return to(c.state, c.state);
    }
    case 'enter':
      if (c.state === 'scheduled') return refuse('conflict', `This challenge opens ${when(c.starts_at)}.`);
      if (c.state === 'cancelled') return refuse('not_found', 'This challenge was cancelled.');
      // The job may not have closed it yet: the deadline itself decides.
      if (c.state !== 'open' || event.now >= c.deadline_at) {
        return refuse('invalid_input', `Entries closed at the deadline, ${when(c.deadline_at)} (${when(c.deadline_at, 'R')}); late entries are not accepted.`);
      }
      return to(c.state, c.state);
  }
}

const LABELS: Record<EditableField, string> = {
  title: 'The title', statement: 'The statement', rules: 'The rules', starts_at: 'The start', deadline_at: 'The deadline',
  points: 'The points', best_bonus: 'The best-entry bonus', judges_required: 'The number of judges', tiers: 'Who may enter',
};
const label = (f: EditableField) => LABELS[f];

export type SubmissionEvent =
  | { kind: 'edit' }
  | { kind: 'queue' }
  | { kind: 'settle'; result: 'accepted' | 'best' | 'declined' | null }
  | { kind: 'void' };

/** An entry's lifecycle; whether the challenge still takes entries is nextChallengeState's 'enter'. */
export function nextSubmissionState(state: SubmissionState, event: SubmissionEvent): Transition<SubmissionState> {
  switch (event.kind) {
    case 'edit':
      if (state !== 'entered') return refuse('conflict', 'This entry is with the judges and can no longer change.');
      return to(state, state);
    case 'queue':
      if (state !== 'entered') return refuse('conflict', 'This entry was already sent to the judges.');
      return to(state, 'in_review');
    case 'settle':
      if (state === 'entered' || state === 'void') return refuse('conflict', 'This entry is not being judged.');
      return to(state, event.result ?? 'in_review');
    case 'void':
      if (state === 'void') return refuse('conflict', 'This entry is already void.');
      return to(state, 'void');
  }
}

/** The new state, or the refusal thrown as the UserError the dispatcher renders. */
export function requireOk<S>(t: Transition<S>): S {
  if (!t.ok) throw new UserError(t.code, t.reason);
  return t.state;
}
