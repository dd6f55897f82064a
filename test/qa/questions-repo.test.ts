import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/discord/user-error.ts';
import { creditPoints, pointsOf, reversePoints } from '../../src/qa/points.ts';
import {
  applyFollowUp, attachThread, createQuestion, findById, findByThread, markSolved, recordAnswer, reopen, solutionExcerpt, topicsOf,
  type QuestionRow,
} from '../../src/qa/questions-repo.ts';
import { parseReputationSetup } from '../../src/reputation/reputation-config.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const T0 = Date.UTC(2026, 10, 25, 9);
const H = 3_600_000;
let t: TestDatabase;
let q: QuestionRow;

const ask = () =>
  createQuestion(t.db, { channelId: 'forum', askerId: 'asker', title: 'Generic constraint on a mapped type', body: 'Why does keyof fail?', code: 'type A = 1', topics: ['typescript'], createdAt: T0, reminderDueAt: T0 + 12 * H });
const events = async () => (await t.db.selectFrom('question_events').select(['kind', 'actor_id', 'at']).where('question_id', '=', q.id).orderBy('id').execute());
const ftsRows = async () => (await sql<{ rowid: number; solution_excerpt: string }>`select rowid, solution_excerpt from qa_search`.execute(t.db)).rows;
const ledger = () => t.db.selectFrom('points').select(['member_id', 'amount', 'source', 'ref']).orderBy('id').execute();
const solve = (over: Partial<Parameters<typeof markSolved>[1]> = {}) =>
  markSolved(t.db, { questionId: q.id, actor: { by: 'asker', isModerator: false }, solutionMessageId: 'm1', solutionAuthorId: 'bob', solutionText: 'Use `K extends keyof T`.', at: T0 + 5 * H, points: 10, archiveDueAt: T0 + 29 * H, ...over });

beforeEach(async () => {
  t = await freshDatabase();
  q = await ask();
});
afterEach(() => t.cleanup());

describe('questions repository', () => {
  it('creates an open question with its asked event; the thread attaches once', async () => {
    expect(q).toMatchObject({ state: 'open', thread_id: null, asker_id: 'asker', last_activity_at: T0, reminder_due_at: T0 + 12 * H });
    expect(topicsOf(q)).toEqual(['typescript']);
    expect(await events()).toEqual([{ kind: 'asked', actor_id: 'asker', at: T0 }]);
    expect(await attachThread(t.db, q.id, 'thread1')).toBe(true);
    expect(await attachThread(t.db, q.id, 'thread2')).toBe(false);
    expect((await findByThread(t.db, 'thread1'))?.id).toBe(q.id);
    expect(await findByThread(t.db, 'thread2')).toBeUndefined();
  });

  it("records answers once per message, ignores the asker's own messages, keeps the first (expert) answer", async () => {
    const own = await recordAnswer(t.db, { questionId: q.id, authorId: 'asker', messageId: 'a0', at: T0 + H, isExpert: false });
    expect(own).toMatchObject({ recorded: false, question: { state: 'open', first_answer_at: null, last_activity_at: T0 + H } });

    const first = await recordAnswer(t.db, { questionId: q.id, authorId: 'bob', messageId: 'a1', at: T0 + 2 * H, isExpert: false });
    expect(first).toMatchObject({ recorded: true, firstAnswer: true, firstExpertAnswer: false, question: { state: 'answered', first_answer_at: T0 + 2 * H, first_answer_by: 'bob', first_expert_answer_at: null } });

    const again = await recordAnswer(t.db, { questionId: q.id, authorId: 'bob', messageId: 'a1', at: T0 + 2 * H, isExpert: false });
    expect(again.recorded).toBe(false);

    const expert = await recordAnswer(t.db, { questionId: q.id, authorId: 'tess', messageId: 'a2', at: T0 + 3 * H, isExpert: true });
    expect(expert).toMatchObject({ firstAnswer: false, firstExpertAnswer: true, question: { first_answer_by: 'bob', first_expert_answer_at: T0 + 3 * H, first_expert_answer_by: 'tess' } });

    const later = await recordAnswer(t.db, { questionId: q.id, authorId: 'eve', messageId: 'a3', at: T0 + 4 * H, isExpert: true });
    expect(later).toMatchObject({ firstAnswer: false, firstExpertAnswer: false, question: { first_expert_answer_by: 'tess', last_activity_at: T0 + 4 * H } });

    // A message delivered late (gateway replay) with an earlier timestamp is the true first answer; activity never goes back.
    const late = await recordAnswer(t.db, { questionId: q.id, authorId: 'cy', messageId: 'a-late', at: T0 + 90 * 60_000, isExpert: false });
    expect(late).toMatchObject({ firstAnswer: true, question: { first_answer_by: 'cy', first_answer_at: T0 + 90 * 60_000, last_activity_at: T0 + 4 * H } });

    expect(await t.db.selectFrom('answers').select(['author_id', 'message_id', 'is_expert']).orderBy('id').execute()).toEqual([
      { author_id: 'bob', message_id: 'a1', is_expert: 0 }, { author_id: 'tess', message_id: 'a2', is_expert: 1 },
      { author_id: 'eve', message_id: 'a3', is_expert: 1 }, { author_id: 'cy', message_id: 'a-late', is_expert: 0 },
    ]);
    expect((await events()).map((e) => e.kind)).toEqual(['asked', 'answered', 'expert_answered']);
  });

  it('marks solved in one go: fields, search row, points to the answerer, event with the actor', async () => {
    await recordAnswer(t.db, { questionId: q.id, authorId: 'bob', messageId: 'm1', at: T0 + 2 * H, isExpert: false });
    const r = await solve({ actor: { by: 'mod', isModerator: true }, solutionText: `  ${'x'.repeat(500)}\n\n` });
    expect(r).toMatchObject({ changed: true, credited: true, question: { state: 'solved', solution_message_id: 'm1', solution_author_id: 'bob', solved_at: T0 + 5 * H, solved_by: 'mod', archive_due_at: T0 + 29 * H } });
    expect(r.question.solution_excerpt).toHaveLength(300);
    expect(await ftsRows()).toEqual([{ rowid: q.id, solution_excerpt: r.question.solution_excerpt }]);
    expect(await ledger()).toEqual([{ member_id: 'bob', amount: 10, source: 'qa_solution', ref: expect.stringMatching(/^question:\d+:solve:\d+$/) }]);
    expect((await events()).at(-1)).toEqual({ kind: 'solved', actor_id: 'mod', at: T0 + 5 * H });

    // A double click on the same message changes nothing; another message is refused until reopened.
    expect(await solve()).toMatchObject({ changed: false, credited: false });
    await expect(solve({ solutionMessageId: 'm2' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await pointsOf(t.db, 'bob')).toBe(10);
  });

  it("keeps solution points within the reputation file's daily cap", async () => {
    const reputation = parseReputationSetup({ dailyCaps: { qa_solution: 14 } }, []);
    await creditPoints(t.db, { memberId: 'bob', amount: 10, source: 'qa_solution', ref: 'question:99:solve:1', at: T0 + H });
    const r = await solve({ caps: { reputation, timeZone: 'UTC' } });
    expect(r.credited).toBe(true);
    expect((await ledger()).at(-1)).toEqual({ member_id: 'bob', amount: 4, source: 'qa_solution', ref: expect.stringMatching(/^question:\d+:solve:\d+$/) });
  });

  it('refuses a non-asker non-moderator and leaves nothing behind', async () => {
    const err = await solve({ actor: { by: 'eve', isModerator: false } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('Only the person who asked or a moderator') });
    expect((await findById(t.db, q.id))!.state).toBe('open');
    expect(await ftsRows()).toEqual([]);
    expect(await ledger()).toEqual([]);
  });

  it('credits nobody when the asker marks their own message', async () => {
    const r = await solve({ solutionAuthorId: 'asker', solutionText: 'Found it myself.' });
    expect(r).toMatchObject({ credited: false, question: { state: 'solved', solution_excerpt: 'Found it myself.' } });
    expect(await ledger()).toEqual([]);
  });

  it('reopen reverses: state, search row, points (negative row), event; a second solve credits again', async () => {
    await recordAnswer(t.db, { questionId: q.id, authorId: 'bob', messageId: 'm1', at: T0 + 2 * H, isExpert: false });
    await solve();
    const r = await reopen(t.db, { questionId: q.id, actor: { by: 'asker', isModerator: false }, at: T0 + 6 * H });
    expect(r).toMatchObject({ reversed: 1, question: { state: 'answered', solution_message_id: null, solution_excerpt: null, solved_at: null, archive_due_at: null } });
    expect(await ftsRows()).toEqual([]);
    const rows = await ledger();
    expect(rows.map((p) => p.amount)).toEqual([10, -10]);
    expect(rows[1]!.ref).toBe(`${rows[0]!.ref}:reversed`);
    expect(await pointsOf(t.db, 'bob')).toBe(0);
    expect((await events()).at(-1)).toEqual({ kind: 'reopened', actor_id: 'asker', at: T0 + 6 * H });
    await expect(reopen(t.db, { questionId: q.id, actor: { by: 'asker', isModerator: false }, at: T0 + 7 * H })).rejects.toMatchObject({ code: 'conflict' });

    await solve({ solutionMessageId: 'm3', solutionAuthorId: 'tess', at: T0 + 8 * H });
    expect(await pointsOf(t.db, 'tess')).toBe(10);
    expect(await pointsOf(t.db, 'bob')).toBe(0);
  });

  it("runs inside the caller's transaction, so a later failure there rolls the whole solve back", async () => {
    const failed = t.db.transaction().execute(async (trx) => {
      await markSolved(trx, { questionId: q.id, actor: { by: 'mod', isModerator: true }, solutionMessageId: 'm1', solutionAuthorId: 'bob', solutionText: 'x', at: T0, points: 5, archiveDueAt: null });
      throw new Error('outbox insert failed');
    });
    await expect(failed).rejects.toThrow('outbox insert failed');
    expect(await findById(t.db, q.id)).toMatchObject({ state: 'open', solution_message_id: null });
    expect(await ftsRows()).toEqual([]);
    expect(await ledger()).toEqual([]);
    expect((await events()).map((e) => e.kind)).toEqual(['asked']);
  });

  it('applies each follow-up at most once', async () => {
    expect(await applyFollowUp(t.db, q.id, 'remind', T0 + 12 * H)).toMatchObject({ reminded_at: T0 + 12 * H });
    expect(await applyFollowUp(t.db, q.id, 'remind', T0 + 13 * H)).toBeNull();
    expect(await applyFollowUp(t.db, q.id, 'nudge', T0 + 13 * H)).toBeNull();
    expect(await applyFollowUp(t.db, q.id, 'stale', T0 + 14 * H)).toMatchObject({ state: 'stale', stale_at: T0 + 14 * H });
    expect(await applyFollowUp(t.db, q.id, 'stale', T0 + 15 * H)).toBeNull();
    expect(await applyFollowUp(t.db, q.id, 'archive', T0 + 16 * H)).toMatchObject({ archived_at: T0 + 16 * H });
    expect(await applyFollowUp(t.db, q.id, 'archive', T0 + 17 * H)).toBeNull();
    expect((await events()).map((e) => [e.kind, e.actor_id])).toEqual([['asked', 'asker'], ['reminded', null], ['stale', null], ['archived', null]]);
  });

  it('the points ledger: a re-credit is a no-op, a reversal happens once, zero credits nothing', async () => {
    const c = { memberId: 'bob', amount: 3, source: 'post_approved' as const, ref: 'post:1', at: T0 };
    expect(await creditPoints(t.db, c)).toBe(true);
    expect(await creditPoints(t.db, c)).toBe(false);
    expect(await creditPoints(t.db, { ...c, ref: 'post:2', amount: 0 })).toBe(false);
    expect(await reversePoints(t.db, 'post_approved', 'post:1', T0)).toBe(1);
    expect(await reversePoints(t.db, 'post_approved', 'post:1', T0)).toBe(0);
    expect(await pointsOf(t.db, 'bob')).toBe(0);
  });

  it('cuts the solution excerpt to 300 characters and keeps nothing for an empty message', () => {
    expect(solutionExcerpt('a\n\n  b')).toBe('a b');
    expect(solutionExcerpt('  \n')).toBeNull();
    const long = solutionExcerpt('word '.repeat(100))!;
    expect(long.length).toBeLessThanOrEqual(300);
    expect(long.endsWith('…')).toBe(true);
  });
});
