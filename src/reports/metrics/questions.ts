// Q&A over the questions asked in W, each as it stood at asOf.
import type { Question, QuestionStatus } from './input.ts';
import { median, rate } from './stats.ts';
import { HOUR, MINUTE, WEEK, within } from './time.ts';
import type { Metrics } from './types.ts';

type QuestionMetrics = Pick<Metrics, 'questions_asked' | 'questions_answered_share' | 'questions_solved_share' | 'median_first_answer_minutes' | 'median_first_expert_answer_minutes' | 'unanswered_over_24h'>;

/** The status at t: the last change stamped at or before t, else 'open'. */
export function statusAt(q: Question, t: number): QuestionStatus {
  let status: QuestionStatus = 'open';
  for (const change of q.status_changes) if (change.at <= t) status = change.status;
  return status;
}

const before = (at: number | null, t: number): at is number => at !== null && at < t;

export function questionMetrics(questions: readonly Question[], asOf: number): QuestionMetrics {
  const asked = questions.filter((q) => within(q.asked_at, asOf - WEEK, asOf));
  const answered = asked.filter((q) => before(q.first_answer_at, asOf));
  const expert = asked.filter((q) => before(q.first_expert_answer_at, asOf));
  const solved = asked.filter((q) => statusAt(q, asOf) === 'solved');
  const unanswered = questions.filter((q) => q.asked_at < asOf - 24 * HOUR && !before(q.first_answer_at, asOf) && statusAt(q, asOf) === 'open');
  return {
    questions_asked: asked.length,
    questions_answered_share: rate(answered.length, asked.length),
    questions_solved_share: rate(solved.length, asked.length),
    median_first_answer_minutes: median(answered.map((q) => (q.first_answer_at! - q.asked_at) / MINUTE)),
    median_first_expert_answer_minutes: median(expert.map((q) => (q.first_expert_answer_at! - q.asked_at) / MINUTE)),
    unanswered_over_24h: unanswered.length,
  };
}
