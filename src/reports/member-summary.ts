// What /me shows a member about themselves: tier, points, activity streak and contributions.
// Read-only queries over the tables the features own.
import type { Db } from '../db/database.ts';
import type { Policy } from '../membership/entitlement.ts';
import { decide } from '../membership/entitlement.ts';
import { loadSources } from '../membership/member-sync.ts';
import type { Tiers } from '../membership/tiers.ts';
import { pointsOf } from '../qa/points.ts';
import { anyInteractionIn, memberDays } from '../activity/member-days.ts';
import { STREAK_REACH_MS, weeklyStreak } from './member-streak.ts';

export interface MemberSummary {
  tier: string | null;
  points: number;
  streakWeeks: number;
  questionsAsked: number;
  answers: number;
  solutions: number;
  challengeEntries: number;
  postsPublished: number;
}

export async function memberSummary(db: Db, userId: string, ports: { tiers: Tiers; policy: Policy; now: number }): Promise<MemberSummary> {
  const { now } = ports;
  const count = (n: { n: number | bigint | string } | undefined) => Number(n?.n ?? 0);
  const [sources, points, days, asked, answers, solutions, entries, posts] = await Promise.all([
    loadSources(db, userId),
    pointsOf(db, userId),
    // A year of the member's day rows in one read; exact per week (joins, leaves and subscription
    // changes are not interactions, and are not in these rows).
    memberDays(db, userId, now - STREAK_REACH_MS, now),
    db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).where('asker_id', '=', userId).executeTakeFirst(),
    db.selectFrom('answers').select((eb) => eb.fn.countAll().as('n')).where('author_id', '=', userId).executeTakeFirst(),
    db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).where('solution_author_id', '=', userId).where('state', '=', 'solved').executeTakeFirst(),
    db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).where('author_id', '=', userId).where('state', '!=', 'void').executeTakeFirst(),
    // approved: decided and about to be posted; published: visible now.
    db.selectFrom('posts').select((eb) => eb.fn.countAll().as('n')).where('author_id', '=', userId).where('state', 'in', ['approved', 'published']).executeTakeFirst(),
  ]);
  const streakWeeks = await weeklyStreak(async (from, to) => anyInteractionIn(days, from, to), now);
  return {
    tier: decide(sources, ports.tiers, now, ports.policy).tier?.name ?? null,
    points,
    streakWeeks,
    questionsAsked: count(asked),
    answers: count(answers),
    solutions: count(solutions),
    challengeEntries: count(entries),
    postsPublished: count(posts),
  };
}
