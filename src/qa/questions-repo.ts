import type { Kysely, Selectable } from 'kysely';
import type { Database, QuestionEventKind, QuestionsTable } from '../db/schema.ts';
import { UserError } from '../discord/user-error.ts';
import { nextQuestionState } from './question-state.ts';

type Q = Kysely<Database>;
export type QuestionRow = Selectable<QuestionsTable>;

/** Runs in the caller's transaction when given one, else in a new one (Kysely cannot nest). */
export function inTransaction<T>(db: Q, run: (trx: Q) => Promise<T>): Promise<T> {
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export const topicsOf = (q: Pick<QuestionRow, 'topics'>): string[] => JSON.parse(q.topics) as string[];
export const SOLUTION_EXCERPT_MAX = 300;

/** Whitespace collapsed, at most 300 characters; null when the message had no text (an image only). */
export function solutionExcerpt(text: string): string | null {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  return flat.length <= SOLUTION_EXCERPT_MAX ? flat : `${flat.slice(0, SOLUTION_EXCERPT_MAX - 1).trimEnd()}…`;
}

export interface NewQuestion {
  channelId: string;
  askerId: string;
  title: string;
  body: string;
  code: string | null;
  topics: readonly string[];
  createdAt: number;
  reminderDueAt: number;
}

/** The row plus its 'asked' event; thread_id stays null until `attachThread`. */
export function createQuestion(db: Q, q: NewQuestion): Promise<QuestionRow> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('questions')
      .values({
        thread_id: null, channel_id: q.channelId, asker_id: q.askerId, title: q.title, body: q.body, code: q.code,
        topics: JSON.stringify(q.topics), state: 'open', reminder_due_at: q.reminderDueAt, created_at: q.createdAt,
        last_activity_at: q.createdAt, first_answer_at: null, first_answer_by: null, first_expert_answer_at: null,
        first_expert_answer_by: null, solution_message_id: null, solution_author_id: null, solution_excerpt: null,
        solved_at: null, solved_by: null, reminded_at: null, nudged_at: null, stale_at: null, archive_due_at: null, archived_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { questionId: row.id, kind: 'asked', actorId: q.askerId, at: q.createdAt });
    return row;
  });
}

/** Sets the thread once; false when the question already has one (a retried post). */
export async function attachThread(db: Q, questionId: number, threadId: string): Promise<boolean> {
  const r = await db.updateTable('questions').set({ thread_id: threadId }).where('id', '=', questionId).where('thread_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const findByThread = (db: Q, threadId: string): Promise<QuestionRow | undefined> =>
  db.selectFrom('questions').selectAll().where('thread_id', '=', threadId).executeTakeFirst();

export const findById = (db: Q, id: number): Promise<QuestionRow | undefined> =>
  db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirst();

export async function findOrThrow(db: Q, id: number): Promise<QuestionRow> {
  const q = await findById(db, id);
  if (!q) throw new UserError('not_found', 'That question no longer exists.');
  return q;
}

export interface EventInput {
  questionId: number;
  kind: QuestionEventKind;
  actorId?: string | null;
  at: number;
  detail?: string | null;
}

export async function recordEvent(db: Q, e: EventInput): Promise<number> {
  const row = await db
    .insertInto('question_events')
    .values({ question_id: e.questionId, kind: e.kind, actor_id: e.actorId ?? null, at: e.at, detail: e.detail ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AnswerInput {
  questionId: number;
  authorId: string;
  messageId: string;
  /** The message's own timestamp (createdTimestamp), never "now". */
  at: number;
  /** The caller checked: the author holds the expert role of one of the question's topics. */
  isExpert: boolean;
}

export interface AnswerResult {
  /** False for the asker's own messages and for a message id seen before. */
  recorded: boolean;
  firstAnswer: boolean;
  firstExpertAnswer: boolean;
  question: QuestionRow;
}

/**
 * A message in the question's thread (bots excluded by the caller). Metadata only. The first answer and
 * first expert answer are kept as the earliest by message time, so a late-delivered older message still
 * counts as first; a repeated message id changes nothing.
 */
export function recordAnswer(db: Q, a: AnswerInput): Promise<AnswerResult> {
  return inTransaction(db, async (trx) => {
    const q = await findOrThrow(trx, a.questionId);
    const activity = Math.max(q.last_activity_at, a.at);
    const byAsker = a.authorId === q.asker_id;
    if (byAsker) {
      const question = await update(trx, q.id, { last_activity_at: activity });
      return { recorded: false, firstAnswer: false, firstExpertAnswer: false, question };
    }
    const inserted = await trx
      .insertInto('answers')
      .values({ question_id: q.id, author_id: a.authorId, message_id: a.messageId, at: a.at, is_expert: a.isExpert ? 1 : 0 })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { recorded: false, firstAnswer: false, firstExpertAnswer: false, question: q };
    const firstAnswer = q.first_answer_at === null || a.at < q.first_answer_at;
    const firstExpertAnswer = a.isExpert && (q.first_expert_answer_at === null || a.at < q.first_expert_answer_at);
    const t = nextQuestionState(q, { kind: 'answer', byAsker: false });
    const question = await update(trx, q.id, {
      last_activity_at: activity,
      ...(t.ok && t.changed ? { state: t.state } : {}),
      ...(firstAnswer ? { first_answer_at: a.at, first_answer_by: a.authorId } : {}),
      ...(firstExpertAnswer ? { first_expert_answer_at: a.at, first_expert_answer_by: a.authorId } : {}),
    });
    if (q.first_answer_at === null) await recordEvent(trx, { questionId: q.id, kind: 'answered', actorId: a.authorId, at: a.at });
    if (a.isExpert && q.first_expert_answer_at === null) await recordEvent(trx, { questionId: q.id, kind: 'expert_answered', actorId: a.authorId, at: a.at });
    return { recorded: true, firstAnswer, firstExpertAnswer, question };
  });
}

export function update(db: Q, id: number, set: Partial<Omit<QuestionRow, 'id'>>): Promise<QuestionRow> {
  return db.updateTable('questions').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export { markSolved, reopen, applyFollowUp, type SolveInput, type ReopenInput, type FollowUpKind } from './questions-solve.ts';
