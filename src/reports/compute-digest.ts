// The digest's figures over the database: loads the metric inputs and runs the pure metric functions
// (docs/metrics.md). Members, questions, entries and posts are loaded whole. Activity is not: the
// questions the metrics will ask about it are worked out in advance (activity-questions.ts) and
// answered exactly from the rollups in a few batched statements (load-interactions.ts,
// load-chat.ts); the metrics then run once against those answers.
//
// The activity reads that depend on the instants alone run on a side reader (src/db/side-reader.ts)
// while this thread loads the members and builds their timelines: at 100k members each half takes
// about a second, and on two cores they take it together.
import type { Db } from '../db/database.ts';
import { connectionReader, openSideReader } from '../db/side-reader.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import { firstWeekQuestions, instantQuestions } from './activity-questions.ts';
import type { ComputeDigest } from './digest-port.ts';
import { loadChat } from './load-chat.ts';
import { loadChallengeEntries, loadQuestions } from './load-content.ts';
import { interactionSource, loadAnyInteractions, loadLatestInteractions } from './load-interactions.ts';
import { loadMembers } from './load-members.ts';
import { loadPosts } from './load-posts.ts';
import { memberTimelines, metricsAt, standingAt, type PreparedInput } from './metrics/compute.ts';
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
    // Timelines are built once and read at asOf and asOf − 7d (digestJson's layout).
    const instants = [asOf, asOf - WEEK];
    const asked = instantQuestions(instants);
    const side = openSideReader(db);
    const loadRest = async () => {
      const members = await loadMembers(db);
      const questions = await loadQuestions(db);
      const challenge_entries = await loadChallengeEntries(db);
      const posts = await loadPosts(db);
      const timelines = memberTimelines({ members, tiers, policy });
      const firstWeeks = await loadAnyInteractions(connectionReader(db), firstWeekQuestions(timelines, instants));
      // The figures that need no latest interactions nor chat, while the side reader still reads.
      const standing = instants.map((t) => standingAt({ input: { tiers, questions, challenge_entries, posts, interactions: { hasInteraction: firstWeeks } }, timelines }, t));
      return { members, questions, challenge_entries, posts, timelines, firstWeeks, standing };
    };
    try {
      const [[latest, chat], { timelines, firstWeeks, standing, ...rest }] = await Promise.all([Promise.all([loadLatestInteractions(side, asked.latest), loadChat(side, asked.chat)]), loadRest()]);
      const prepared: PreparedInput = { input: { tiers, policy, ...rest, interactions: interactionSource(latest, firstWeeks), chat }, timelines };
      return { as_of: iso(asOf), metrics: metricsAt(prepared, asOf, standing[0]), previous: metricsAt(prepared, asOf - WEEK, standing[1]) };
    } finally {
      await side.close();
    }
  };
}
