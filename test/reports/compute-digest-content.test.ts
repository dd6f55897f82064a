// Q&A, challenge entries and posts as createComputeDigest reads them, written through their real
// repositories and services (no Discord needed), with figures worked out by hand.
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertChallenge } from '../../src/challenges/challenges-repo.ts';
import { saveEntry } from '../../src/challenges/submissions-repo.ts';
import { decideVersion, reverseDecision, unpublishPost } from '../../src/posts/post-decide.ts';
import type { PostPorts } from '../../src/posts/post-ports.ts';
import { submitEdit, submitNew } from '../../src/posts/post-submit.ts';
import { parsePostsSetup } from '../../src/posts/posts-config.ts';
import { markThreadDeleted } from '../../src/qa/answers.ts';
import { applyFollowUp, createQuestion, markSolved, recordAnswer, reopen } from '../../src/qa/questions-repo.ts';
import { createComputeDigest } from '../../src/reports/compute-digest.ts';
import { digestJson } from '../../src/reports/metrics/compute.ts';
import { parseReputationSetup } from '../../src/reputation/reputation-config.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { captureLogs } from '../rigs/logs.ts';
import { inMemoryInput, MINUTE, POLICY } from './compute-digest-facts.ts';
import { AS_OF, D, H, TIERS } from './fixtures/metrics-fixtures.ts';

const asOf = AS_OF + 25 * MINUTE;
const { ada, brian, grace, mo, jules } = SAMPLE.users;

describe('createComputeDigest: Q&A, challenges and posts', () => {
  let t: TestDatabase;
  let now: number;
  const clock = { now: () => now };
  const compute = (at: number) => createComputeDigest(t.db, TIERS, POLICY)(at);
  beforeEach(async () => {
    t = await freshDatabase();
    now = asOf;
  });
  afterEach(() => t.cleanup());

  it('reads questions (status changes, first answers) and challenge entries (first versions) as digestJson does in memory', async () => {
    const ask = (askerId: string, at: number) =>
      createQuestion(t.db, { channelId: SAMPLE.channels.forum, askerId, title: 'How?', body: 'Body', code: null, topics: [], createdAt: at, reminderDueAt: at + D });
    const answer = (questionId: number, authorId: string, at: number, isExpert: boolean) => recordAnswer(t.db, { questionId, authorId, messageId: `m${at}`, at, isExpert });
    const solve = (questionId: number, by: string, at: number) =>
      markSolved(t.db, { questionId, actor: { by, isModerator: false }, solutionMessageId: `s${at}`, solutionAuthorId: grace, solutionText: 'Yes', at, points: 10, archiveDueAt: null });
    const q1 = await ask(ada, asOf - 3 * D);
    await answer(q1.id, grace, asOf - 3 * D + 30 * MINUTE, true);
    await solve(q1.id, ada, asOf - 2 * D);
    const q2 = await ask(brian, asOf - 2 * D);
    await answer(q2.id, grace, asOf - 2 * D + 90 * MINUTE, false);
    await answer(q2.id, jules, asOf - D, true);
    await solve(q2.id, brian, asOf - D + H);
    await reopen(t.db, { questionId: q2.id, actor: { by: brian, isModerator: false }, at: asOf - 12 * H });
    const q3 = await ask(ada, asOf - 6 * D);
    await applyFollowUp(t.db, q3.id, 'stale', asOf - D);
    await ask(brian, asOf - 10 * D);
    const q5 = await ask(ada, asOf - 5 * D);
    now = asOf - 4 * D;
    await markThreadDeleted({ db: t.db, clock, logger: captureLogs([]).logger }, q5);
    await ask(ada, asOf - 12 * H);
    const q7 = await ask(brian, asOf - 8 * D);
    await applyFollowUp(t.db, q7.id, 'stale', asOf - 7.5 * D);
    await reopen(t.db, { questionId: q7.id, actor: { by: mo, isModerator: true }, at: asOf - 7 * D + H });

    const challenge = await insertChallenge(t.db, {
      title: 'C', statement: 'S', rules: '', starts_at: asOf - 20 * D, deadline_at: asOf + D, points: 10, best_bonus: 0, open_to: 'everyone', tiers: null,
      judges_required: 1, state: 'open', created_by: mo, created_at: asOf - 20 * D, updated_at: asOf - 20 * D, announced_at: null, closed_at: null, judged_at: null, cancelled_at: null, cancel_reason: null,
    });
    const entry = { solution: 'x', link: null, notes: null };
    for (const [author, at] of [[ada, asOf - 3 * D], [ada, asOf - D], [brian, asOf - 8 * D], [grace, asOf], [jules, asOf - 7 * D]] as const) {
      await t.db.transaction().execute((trx) => saveEntry(trx, challenge, author, entry, at));
    }

    const got = await compute(asOf);
    const closed = (at: number) => [{ at, status: 'closed' as const }];
    const questions = [
      { asked_at: asOf - 3 * D, first_answer_at: asOf - 3 * D + 30 * MINUTE, first_expert_answer_at: asOf - 3 * D + 30 * MINUTE, status_changes: [{ at: asOf - 2 * D, status: 'solved' as const }] },
      { asked_at: asOf - 2 * D, first_answer_at: asOf - 2 * D + 90 * MINUTE, first_expert_answer_at: asOf - D, status_changes: [{ at: asOf - D + H, status: 'solved' as const }, { at: asOf - 12 * H, status: 'open' as const }] },
      { asked_at: asOf - 6 * D, first_answer_at: null, first_expert_answer_at: null, status_changes: closed(asOf - D) },
      { asked_at: asOf - 10 * D, first_answer_at: null, first_expert_answer_at: null, status_changes: [] },
      { asked_at: asOf - 5 * D, first_answer_at: null, first_expert_answer_at: null, status_changes: closed(asOf - 4 * D) },
      { asked_at: asOf - 12 * H, first_answer_at: null, first_expert_answer_at: null, status_changes: [] },
      { asked_at: asOf - 8 * D, first_answer_at: null, first_expert_answer_at: null, status_changes: [...closed(asOf - 7.5 * D), { at: asOf - 7 * D + H, status: 'open' as const }] },
    ];
    const entries = [asOf - 3 * D, asOf - 8 * D, asOf, asOf - 7 * D];
    expect(got).toEqual(digestJson(inMemoryInput({ members: [], activity: [] }, { questions, challenge_entries: entries }), asOf));
    // By hand: asked in W q1 q2 q3 q5 q6; answered q1 (30 min, expert) and q2 (90 min; expert after 1 day);
    // solved only q1 (q2 was reopened); unanswered for a day and open: q4 and q7 (reopened), not q3/q5 (closed).
    const m = got.metrics;
    expect([m.questions_asked, m.questions_answered_share, m.questions_solved_share, m.median_first_answer_minutes, m.median_first_expert_answer_minutes, m.unanswered_over_24h]).toEqual([5, 0.4, 0.2, 60, 735, 2]);
    // Entries first submitted in W: ada's (her edit is not new) and jules's at exactly asOf − 7d; grace's at asOf is next week's.
    expect([m.challenge_entries, got.previous.challenge_entries]).toEqual([2, 1]);
  });

  it('counts posts from versions and decisions: a reversal puts the version back in the queue, an edit or unpublish takes it out', async () => {
    const ports: PostPorts = {
      db: t.db, rest: new REST(), clock, logger: captureLogs([]).logger, outbox: { kick: () => undefined },
      setup: parsePostsSetup({ rateLimit: { posts: 50, perHours: 24 } }, SAMPLE.channels.content, SAMPLE.channels.mods, ['Supporter', 'Pro', 'Founder']),
      activity: { record: () => undefined }, reputation: parseReputationSetup({}, []), timeZone: 'UTC', tiers: TIERS, policy: POLICY,
    };
    const text = { title: 'A post', body: 'Thirty characters of text at the very least.', link: null, kind: 'article' as const };
    const at = async <T>(instant: number, run: () => Promise<T>): Promise<T> => {
      now = instant;
      return run();
    };
    const submit = (days: number, author: string = ada) => at(asOf - days * D, () => submitNew(ports, { author: { id: author, name: 'A', moderator: false }, text, audienceTier: null }));
    const edit = (days: number, postId: number) => at(asOf - days * D, () => submitEdit(ports, { postId, author: { id: ada, name: 'A', moderator: false }, text }));
    const decide = (days: number, versionId: number, action: 'approve' | 'reject' | 'request_changes') => at(asOf - days * D, () => decideVersion(ports, { versionId, action, actorId: mo, reason: 'r' }));

    const p1 = await submit(10);
    await decide(9, p1.version.id, 'approve');
    const p2 = await submit(5);
    const rejected = await decide(4, p2.version.id, 'reject');
    await at(asOf - 3 * D, () => reverseDecision(ports, { decisionId: rejected.decision.id, actorId: jules, reason: 'too harsh' }));
    await decide(2.9, p2.version.id, 'approve');
    const p3 = await submit(8, brian);
    await decide(6, p3.version.id, 'request_changes');
    await at(asOf - 2 * D, () => submitEdit(ports, { postId: p3.post.id, author: { id: brian, name: 'B', moderator: false }, text }));
    const p4 = await submit(6);
    await decide(5, p4.version.id, 'approve');
    await edit(4, p4.post.id);
    await at(asOf - 3 * D, () => unpublishPost(ports, { postId: p4.post.id, actorId: mo, isModerator: true, reason: 'off topic' }));
    await submit(2 / 24);

    const got = await compute(asOf);
    const posts = (m: typeof got.metrics) => [m.posts_submitted, m.posts_approved, m.posts_rejected, m.median_review_minutes, m.review_queue];
    // W: p2, p4 and p5 submitted; decided p2 (reject after 1 d; approve 2.1 d after its submission, not 0.1 d after the
    // reversal), p3 (changes after 2 d), p4 (approve after 1 d): median of 1440, 1440, 2880, 3024. Waiting at asOf: p3's edit
    // and p5 (p4's edit was withdrawn).
    expect(posts(got.metrics)).toEqual([3, 2, 1, 2160, 2]);
    // The week before: p1 and p3 submitted, p1 approved after a day; p3 waiting.
    expect(posts(got.previous)).toEqual([2, 1, 0, 1440, 1]);
    // Between the reversal (3 d before asOf) and the approval p2 waits again; p4's edit was withdrawn with the unpublish.
    expect((await compute(asOf - 71 * H)).metrics.review_queue).toBe(1);
  });
});
