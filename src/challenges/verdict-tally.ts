// Pure judging rules: when judges agree, who may judge, and the reasons an author is told.
import type { ChallengeState, DeclineReason, SubmissionState, VerdictKind } from '../db/schema-challenges.ts';
import { UserError } from '../discord/user-error.ts';

export interface CurrentVerdict {
  judge_id: string;
  verdict: VerdictKind;
  reason: DeclineReason | null;
  reason_text: string | null;
}

export type FinalResult = { result: 'accepted' | 'best' | 'declined'; reasons: { reason: DeclineReason; text: string | null }[] };

export const DECLINE_REASONS: Record<DeclineReason, string> = {
  wrong: 'Wrong: it does not solve the problem',
  incomplete: 'Incomplete: parts of the task are missing',
  too_short: 'Too short: not enough to judge',
  plagiarism: 'Plagiarism or AI-generated',
  other: 'Other',
};

/**
 * An entry's verdict is final when at least `required` judges' current verdicts agree and
 * outnumber the opposite side. "Accept as best" is also an accept: two judges saying accept and
 * best agree the entry is accepted; it is the best entry only when `required` judges say best.
 * A tie (one accept and one decline with one judge required) is not final: a third judge decides,
 * or one of them revises.
 */
export function tally(verdicts: readonly CurrentVerdict[], required: number): FinalResult | null {
  const best = verdicts.filter((v) => v.verdict === 'best').length;
  const yes = best + verdicts.filter((v) => v.verdict === 'accept').length;
  const declines = verdicts.filter((v) => v.verdict === 'decline');
  if (yes >= required && yes > declines.length) return { result: best >= required ? 'best' : 'accepted', reasons: [] };
  if (declines.length >= required && declines.length > yes) {
    const seen = new Set<string>();
    const reasons = declines
      .map((v) => ({ reason: v.reason ?? 'other', text: v.reason_text }))
      .filter((r) => {
        const key = `${r.reason}\u0000${r.text ?? ''}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    return { result: 'declined', reasons };
  }
  return null;
}

export interface JudgeFacts {
  challengeState: ChallengeState;
  submissionState: SubmissionState;
  authorId: string;
  judgeId: string;
  isModerator: boolean;
}

/** Throws why this judge may not judge this entry now; returns quietly when they may. */
export function checkJudge(f: JudgeFacts): void {
  if (!f.isModerator) throw new UserError('forbidden', 'Only moderators judge challenge entries.');
  if (f.authorId === f.judgeId) throw new UserError('forbidden', 'This is your own entry: another judge has to decide it.');
  if (f.challengeState === 'cancelled' || f.submissionState === 'void') throw new UserError('conflict', 'This challenge was cancelled, so its entries are not judged.');
  if (f.challengeState !== 'judging' && f.challengeState !== 'judged') throw new UserError('conflict', 'Entries are judged after the deadline.');
}

/** What a member reads about a final result: the verdict and, for a decline, every reason given. */
export function describeResult(state: SubmissionState, reasons: readonly { reason: DeclineReason; text: string | null }[]): string {
  switch (state) {
    case 'best':
      return '⭐ accepted as the best entry';
    case 'accepted':
      return '✅ accepted';
    case 'declined':
      return `❌ declined (${reasons.map((r) => `${DECLINE_REASONS[r.reason]}${r.text ? ` — ${r.text.replace(/[.\s]+$/, '')}` : ''}`).join('; ') || 'no reason given'})`;
    case 'in_review':
      return '⏳ with the judges';
    case 'entered':
      return '📝 entered (you can edit it until the deadline)';
    case 'void':
      return '🚫 void (the challenge was cancelled)';
  }
}

export function parseReasons(json: string | null): { reason: DeclineReason; text: string | null }[] {
  return json ? (JSON.parse(json) as { reason: DeclineReason; text: string | null }[]) : [];
}
