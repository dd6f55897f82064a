import { afterEach, describe, expect, it } from 'vitest';
import type { QuestionState } from '../../src/db/schema.ts';
import { createQuestion, update } from '../../src/qa/questions-repo.ts';
import { computeQaStats, DAY_MS, figures, median, NO_TIER, qaStats, type StatsRow } from '../../src/qa/stats.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const H = 3_600_000;
const A = Date.UTC(2026, 10, 25); // asOf
const FROM = A - 7 * DAY_MS;

const row = (asker: string, created: number, topics: string[], state: QuestionState, first?: number, expert?: number, solved?: number): StatsRow => ({
  asker_id: asker, topics: JSON.stringify(topics), state, created_at: created,
  first_answer_at: first === undefined ? null : created + first, first_expert_answer_at: expert === undefined ? null : created + expert,
  solved_at: solved === undefined ? null : created + solved,
});

// Hand-computed below. r3 sits on the window's open end, r4 just before its start, r8 long ago.
const ROWS: StatsRow[] = [
  row('a1', FROM, ['ts'], 'solved', 2 * H, 4 * H, 5 * H), // r1: first instant of the window
  row('a2', A - 1, ['ts', 'rust'], 'open'), // r2: last instant of the window
  row('a2', A, ['ts'], 'open'), // r3: asOf itself, outside [from, asOf)
  row('a9', FROM - 1, ['ts'], 'open'), // r4: before the window; still in the backlog
  row('a1', FROM + DAY_MS, ['rust'], 'answered', 1 * H, 3 * H), // r5
  row('a3', FROM + 2 * DAY_MS, ['rust'], 'stale', 6 * H), // r6
  row('a3', A - 1 * H, ['ts'], 'answered', 2 * H), // r7: answered only after asOf
  row('a1', FROM - 10 * DAY_MS, ['ts'], 'solved', H, H, H), // r8
];
const TIERS: Record<string, string> = { a1: 'Supporter', a3: 'Patron' };
const tierOf = (id: string) => TIERS[id] ?? null;

describe('median', () => {
  it.each([
    [[], null], [[5], 5], [[3, 1], 2], [[3, 1, 2], 2], [[10, 1, 3, 2], 2.5], [[7, 7, 7, 1], 7],
  ])('median(%j) = %j', (values, expected) => expect(median(values)).toBe(expected));
});

describe('computeQaStats', () => {
  const s = computeQaStats(ROWS, { asOf: A, days: 7, tierOf });

  it('counts the half-open window [asOf - 7 days, asOf)', () => {
    expect(s).toMatchObject({
      from: FROM, to: A, days: 7,
      asked: 5, // r1 r2 r5 r6 r7
      answered: 3, answeredPct: 60, // r1 r5 r6 (r7's answer came after asOf)
      solved: 1, solvedPct: 20,
      medianFirstAnswerMs: 2 * H, // [2h, 1h, 6h]: odd count
      medianFirstExpertAnswerMs: 3.5 * H, // [4h, 3h]: even count
      open: 3, // r2 r5 r7
      unanswered: 2, // r2 r7
      backlogOpen: 4, // r2 r4 r5 r7
      backlogUnanswered: 3, // r2 r4 r7
    });
  });

  it('splits by topic, a two-topic question counting in both', () => {
    expect(Object.keys(s.byTopic)).toEqual(['rust', 'ts']);
    expect(s.byTopic.ts).toEqual({ asked: 3, answered: 1, answeredPct: 100 / 3, solved: 1, solvedPct: 100 / 3, medianFirstAnswerMs: 2 * H, medianFirstExpertAnswerMs: 4 * H, open: 2, unanswered: 2 });
    expect(s.byTopic.rust).toEqual({ asked: 3, answered: 2, answeredPct: 200 / 3, solved: 0, solvedPct: 0, medianFirstAnswerMs: 3.5 * H, medianFirstExpertAnswerMs: 3 * H, open: 2, unanswered: 1 });
  });

  it("splits by the asker's tier, with a bucket for none", () => {
    expect(s.byTier).toEqual({
      Patron: { asked: 2, answered: 1, answeredPct: 50, solved: 0, solvedPct: 0, medianFirstAnswerMs: 6 * H, medianFirstExpertAnswerMs: null, open: 1, unanswered: 1 },
      Supporter: { asked: 2, answered: 2, answeredPct: 100, solved: 1, solvedPct: 50, medianFirstAnswerMs: 1.5 * H, medianFirstExpertAnswerMs: 3.5 * H, open: 1, unanswered: 0 },
      [NO_TIER]: { asked: 1, answered: 0, answeredPct: 0, solved: 0, solvedPct: 0, medianFirstAnswerMs: null, medianFirstExpertAnswerMs: null, open: 1, unanswered: 1 },
    });
  });

  it('a 30-day window takes in the older question', () => {
    const m = computeQaStats(ROWS, { asOf: A, days: 30, tierOf });
    expect(m).toMatchObject({ asked: 7, answered: 4, unanswered: 3, solved: 2 }); // + r4 (open) and r8 (solved, answered in 1h)
    expect(m.medianFirstAnswerMs).toBe(1.5 * H); // [2h, 1h, 6h, 1h]
  });

  it('an empty window has no percentages or medians rather than zeros', () => {
    expect(figures([], A)).toEqual({ asked: 0, answered: 0, answeredPct: null, solved: 0, solvedPct: null, medianFirstAnswerMs: null, medianFirstExpertAnswerMs: null, open: 0, unanswered: 0 });
  });
});

describe('qaStats (database)', () => {
  let t: TestDatabase;
  afterEach(() => t.cleanup());

  it('loads the same rows from SQLite and asks tiers only for askers in the window', async () => {
    t = await freshDatabase();
    for (const r of ROWS) {
      const q = await createQuestion(t.db, { channelId: 'c', askerId: r.asker_id, title: 't', body: 'b', code: null, topics: JSON.parse(r.topics), createdAt: r.created_at, reminderDueAt: r.created_at });
      await update(t.db, q.id, { state: r.state, first_answer_at: r.first_answer_at, first_expert_answer_at: r.first_expert_answer_at, solved_at: r.solved_at });
    }
    const asked: string[][] = [];
    const s = await qaStats(t.db, {
      asOf: A, days: 7,
      tiersOf: async (ids) => {
        asked.push([...ids].sort());
        return new Map(ids.map((id) => [id, tierOf(id)]));
      },
    });
    expect(asked).toEqual([['a1', 'a2', 'a3']]);
    expect(s).toEqual(computeQaStats(ROWS, { asOf: A, days: 7, tierOf }));
  });
});
