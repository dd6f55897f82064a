// The digest's figures over the database: loads the metric inputs and runs the pure metric functions
// (docs/metrics.md). Members, questions, entries and posts are loaded whole. Activity is not: the
// questions the metrics will ask about it are worked out from the members' timelines
// (activity-questions.ts) and answered exactly from the rollups in a few batched statements
// (load-interactions.ts, load-chat.ts); the metrics then run once against those answers.
import type { Db } from '../db/database.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import { activityQuestions } from './activity-questions.ts';
import type { ComputeDigest } from './digest-port.ts';
import { loadChat } from './load-chat.ts';
import { loadChallengeEntries, loadQuestions } from './load-content.ts';
import { loadInteractions } from './load-interactions.ts';
import { loadMembers } from './load-members.ts';
import { loadPosts } from './load-posts.ts';
import { memberTimelines, metricsAt, type PreparedInput } from './metrics/compute.ts';
import { iso, WEEK } from './metrics/time.ts';
import type { DigestJson } from './metrics/types.ts';

/**
 * Reads are not wrapped in one transaction: with a single SQLite connection that would hold up
 * every write of the bot for the whole computation. Facts committed while it runs may be seen by
 * later queries only; for a past asOf nothing changes, and for /stats the figures are as of a moment
 * during the computation.
 */
export function createComputeDigest(db: Db, tiers: Tiers, policy: Policy): ComputeDigest {
  return async (asOf: number): Promise<DigestJson> => {
    const members = await loadMembers(db);
    const questions = await loadQuestions(db);
    const challenge_entries = await loadChallengeEntries(db);
    const posts = await loadPosts(db);
    // Timelines are built once and read at asOf and asOf − 7d (digestJson's layout).
    const timelines = memberTimelines({ members, tiers, policy });
    const asked = activityQuestions(timelines, [asOf, asOf - WEEK]);
    const interactions = await loadInteractions(db, asked.interactions);
    const chat = await loadChat(db, asked.chat);
    const prepared: PreparedInput = { input: { tiers, policy, members, questions, challenge_entries, posts, interactions, chat }, timelines };
    return { as_of: iso(asOf), metrics: metricsAt(prepared, asOf), previous: metricsAt(prepared, asOf - WEEK) };
  };
}
