// The digest's figures over the database: loads the metric inputs and runs the pure metric functions
// (docs/metrics.md). Members, questions, entries and posts are loaded whole. Activity is answered
// from the hourly rollups, exactly, through a cache filled in passes (load-activity.ts): the
// questions the metrics are expected to ask are loaded first (load-hints.ts) in a few batched
// queries; a pass runs the metrics, recording any activity question the cache cannot answer yet;
// those are loaded and the next pass runs. It ends when a pass asks nothing new (normally the
// first), and that pass's figures are the result.
import type { Db } from '../db/database.ts';
import type { Policy } from '../membership/entitlement.ts';
import type { Tiers } from '../membership/tiers.ts';
import type { ComputeDigest } from './digest-port.ts';
import { cachedActivity, type ActivityAnswers, type ActivityQuestions } from './load-activity.ts';
import { loadChat } from './load-chat.ts';
import { loadChallengeEntries, loadQuestions } from './load-content.ts';
import { expectedQuestions } from './load-hints.ts';
import { loadLastBefore } from './load-interactions.ts';
import { loadMembers } from './load-members.ts';
import { loadPosts } from './load-posts.ts';
import { loadHasInteraction } from './load-windows.ts';
import { metricsAt, prepareMetrics } from './metrics/compute.ts';
import { iso, WEEK } from './metrics/time.ts';
import type { DigestJson } from './metrics/types.ts';

/** Each pass can only ask about instants the previous answers led to; more than this is a bug. */
const MAX_PASSES = 5;

async function loadAnswers(db: Db, asked: ActivityQuestions, answers: ActivityAnswers): Promise<void> {
  await loadLastBefore(db, asked.lastBefore, answers.lastBefore);
  await loadHasInteraction(db, asked.has, answers.has);
  for (const [key, w] of new Map([...asked.messages, ...asked.communicators])) {
    const figures = await loadChat(db, w);
    answers.messages.set(key, figures.messages);
    answers.communicators.set(key, figures.communicators);
  }
}

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
    const activity = cachedActivity();
    // Timelines are built once; every pass reads them again at asOf and asOf − 7d (digestJson's layout).
    const prepared = prepareMetrics({ tiers, policy, members, questions, challenge_entries, posts, interactions: activity.interactions, chat: activity.chat });
    await loadAnswers(db, expectedQuestions(prepared, [asOf, asOf - WEEK]), activity.answers);
    for (let pass = 1; ; pass++) {
      const json: DigestJson = { as_of: iso(asOf), metrics: metricsAt(prepared, asOf), previous: metricsAt(prepared, asOf - WEEK) };
      const asked = activity.takeQuestions();
      if (!asked) return json;
      if (pass === MAX_PASSES) throw new Error(`compute-digest: activity questions still new after ${MAX_PASSES} passes`);
      await loadAnswers(db, asked, activity.answers);
    }
  };
}
