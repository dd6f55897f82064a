// Q&A questions and challenge entries as the metric functions read them (metrics/input.ts).
import type { Db } from '../db/database.ts';
import type { QuestionEventKind } from '../db/schema.ts';
import type { Question, QuestionStatus } from './metrics/input.ts';

/** The question events that change its status; the others (answers, reminders, archiving) change nothing. */
const STATUS_OF: Partial<Record<QuestionEventKind, QuestionStatus>> = {
  solved: 'solved',
  stale: 'closed',
  thread_deleted: 'closed',
  reopened: 'open',
};

/**
 * Every question, asked at its created_at (the 'asked' event has the same time), with its first
 * answers and its status changes oldest first, ties in the order they were recorded.
 */
export async function loadQuestions(db: Db): Promise<Question[]> {
  const rows = await db.selectFrom('questions').select(['id', 'created_at', 'first_answer_at', 'first_expert_answer_at']).orderBy('id').execute();
  const kinds = Object.keys(STATUS_OF) as QuestionEventKind[];
  const events = await db.selectFrom('question_events').select(['question_id', 'kind', 'at']).where('kind', 'in', kinds).orderBy('at').orderBy('id').execute();
  const changes = new Map<number, { at: number; status: QuestionStatus }[]>();
  for (const e of events) {
    const list = changes.get(e.question_id) ?? [];
    list.push({ at: e.at, status: STATUS_OF[e.kind]! });
    changes.set(e.question_id, list);
  }
  return rows.map((q) => ({
    asked_at: q.created_at,
    first_answer_at: q.first_answer_at,
    first_expert_answer_at: q.first_expert_answer_at,
    status_changes: changes.get(q.id) ?? [],
  }));
}

/** When each challenge entry was first submitted (its first version): an edit is not a new entry. */
export async function loadChallengeEntries(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('submission_versions').select((eb) => eb.fn.min<number>('at').as('at')).groupBy('submission_id').execute();
  return rows.map((r) => r.at);
}
