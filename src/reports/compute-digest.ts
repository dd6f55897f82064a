// The digest's figures over the database: loads the metric inputs and runs the pure metric functions
// (docs/metrics.md). Members, questions, entries and posts are loaded whole. Activity is not: the
// questions the metrics will ask about it are worked out in advance (activity-questions.ts) and
// answered exactly from the rollups in a few batched statements (load-interactions.ts,
// load-chat.ts); the metrics then run once against those answers.
//
// The chat and latest-interaction reads run on a side reader (src/db/side-reader.ts) while this
// thread loads the members, builds their timelines and works out the figures that need no activity:
// at 100k members each half takes about a second, and on two cores they take it together.
import type { Db } from '../db/database.ts';
import { connectionReader, openSideReader } from '../db/side-reader.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import { chatWindows, firstWeekQuestions, latestQuestions } from './activity-questions.ts';
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
    const side = openSideReader(db);
    try {
      // On the side reader, in this order: W's chat figures (they need nothing loaded), then the
      // members' latest interactions, asked with the members' own ids (the metrics ask with the same
      // strings, which the loaded source finds fastest).
      const chat = startedEarly(loadChat(side, chatWindows(instants)));
      const members = await loadMembers(db);
      const latest = startedEarly(loadLatestInteractions(side, latestQuestions(members.map((m) => m.user_id), instants)));
      const questions = await loadQuestions(db);
      const challenge_entries = await loadChallengeEntries(db);
      const posts = await loadPosts(db);
      const timelines = memberTimelines({ members, tiers, policy });
      const firstWeeks = await loadAnyInteractions(connectionReader(db), firstWeekQuestions(timelines, instants));
      // The figures that need no latest interactions nor chat, while the side reader still reads.
      const input = { tiers, policy, members, questions, challenge_entries, posts };
      const standing = instants.map((t) => standingAt({ input: { ...input, interactions: { hasInteraction: firstWeeks } }, timelines }, t));
      const prepared: PreparedInput = { input: { ...input, interactions: interactionSource(await latest, firstWeeks), chat: await chat }, timelines };
      return { as_of: iso(asOf), metrics: metricsAt(prepared, asOf, standing[0]), previous: metricsAt(prepared, asOf - WEEK, standing[1]) };
    } finally {
      // Not awaited: the worker's exit takes a while and nothing here depends on it.
      void side.close();
    }
  };
}

/**
 * A promise started now and awaited later: should it fail before then, the failure comes out where
 * it is awaited, instead of as an unhandled rejection (which ends the process) in between.
 */
function startedEarly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
