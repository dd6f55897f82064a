import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/reports/metrics/compute.ts';
import type { Post, Question } from '../../src/reports/metrics/input.ts';
import { AS_OF, ago, H, input, MIN } from './fixtures/metrics-fixtures.ts';

const q = (asked_at: number, over: Partial<Question> = {}): Question => ({ asked_at, first_answer_at: null, first_expert_answer_at: null, status_changes: [], ...over });

const questions: Question[] = [
  q(ago(3), { first_answer_at: ago(3) + 30 * MIN, first_expert_answer_at: ago(3) + 90 * MIN, status_changes: [{ at: ago(2), status: 'solved' }] }), // answered 30, expert 90, solved
  q(ago(5), { first_answer_at: ago(5) + 10 * MIN, status_changes: [{ at: ago(4), status: 'solved' }, { at: ago(1), status: 'open' }] }), // answered 10; reopened: not solved
  q(ago(1)), //                                            asked exactly 24 h ago: not "before asOf − 24h"
  q(ago(2), { first_answer_at: AS_OF + H }), //            answered after asOf: unanswered as of asOf
  q(ago(10)), //                                           before W, still open and unanswered
  q(ago(9), { status_changes: [{ at: ago(2), status: 'closed' }] }), // closed as stale: not open
  q(ago(6), { first_answer_at: ago(6) + 50 * MIN, status_changes: [{ at: AS_OF + MIN, status: 'solved' }] }), // solved after asOf: not solved
];

describe('Q&A', () => {
  it('measures the questions asked in W as they stood at asOf', () => {
    expect(computeMetrics(input({ questions }), AS_OF)).toMatchObject({
      questions_asked: 5, // asked ago 3, 5, 1, 2, 6
      questions_answered_share: 3 / 5, // 30, 10, 50 minutes
      questions_solved_share: 1 / 5,
      median_first_answer_minutes: 30, // median of 10, 30, 50
      median_first_expert_answer_minutes: 90,
      unanswered_over_24h: 2, // asked ago 2 and ago 10
    });
  });

  it('takes the mean of the two middle values of an even sample', () => {
    const m = computeMetrics(input({ questions: [q(ago(2), { first_answer_at: ago(2) + 10 * MIN }), q(ago(3), { first_answer_at: ago(3) + 25 * MIN })] }), AS_OF);
    expect(m.median_first_answer_minutes).toBe(17.5);
  });
});

const posts: Post[] = [
  { reviews: [{ submitted_at: ago(5), decision: { action: 'approve', at: ago(5) + 2 * H }, closed_at: null }] }, // submitted, approved after 120 min
  {
    reviews: [
      { submitted_at: ago(10), decision: { action: 'request_changes', at: ago(6) }, closed_at: null }, // 4 days = 5760 min, decided in W
      { submitted_at: ago(3), decision: { action: 'reject', at: ago(3) + 30 * MIN }, closed_at: null }, // rejected after 30 min
    ],
  },
  { reviews: [{ submitted_at: ago(2), decision: null, closed_at: null }] }, // pending
  {
    reviews: [
      { submitted_at: ago(9), decision: { action: 'approve', at: ago(8) }, closed_at: null }, // decided before W
      { submitted_at: ago(1), decision: null, closed_at: null }, // an edit waiting for review
    ],
  },
  { reviews: [{ submitted_at: ago(4), decision: null, closed_at: ago(3) }] }, // withdrawn
  { reviews: [{ submitted_at: ago(1), decision: { action: 'approve', at: AS_OF + H }, closed_at: null }] }, // decided after asOf: pending at asOf
];

describe('challenges and content', () => {
  it('counts entries and submissions in W, decisions made in W and the queue at asOf', () => {
    const m = computeMetrics(input({ posts, challenge_entries: [ago(7), ago(1), AS_OF, ago(8)] }), AS_OF);
    expect(m).toMatchObject({
      challenge_entries: 2, // ago 7 (W's start) and ago 1
      posts_submitted: 4, // first versions ago 5, 2, 4, 1
      posts_approved: 1,
      posts_rejected: 1,
      median_review_minutes: 120, // median of 120, 5760, 30
      review_queue: 3, // the pending post, the edit, the one decided after asOf
    });
  });
});
