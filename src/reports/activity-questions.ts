// The activity questions metricsAt will ask at each instant, worked out with the metric functions' own
// helpers, so that every answer can be loaded before the metrics run (they are synchronous and do no
// I/O). If the two ever disagree, the loaded sources throw (load-interactions.ts, load-chat.ts)
// instead of answering with a wrong figure.
import type { Window } from './load-chat.ts';
import type { LatestQuestion, WindowQuestion } from './load-interactions.ts';
import { cohortsOf } from './metrics/cohorts.ts';
import { LAST_INTERACTION_REACH } from './metrics/compute.ts';
import { firstPeriodStart, type MemberTimeline } from './metrics/member-timeline.ts';
import { WEEK } from './metrics/time.ts';

/** W of each instant, for messages and communicators: known before anything is loaded. */
export function chatWindows(instants: readonly number[]): Window[] {
  return instants.map((t) => ({ from: t - WEEK, to: t }));
}

/** The latest interaction of every member at each instant (metricsAt asks it of those entitled at T, a subset). */
export function latestQuestions(members: readonly string[], instants: readonly number[]): LatestQuestion[] {
  return instants.map((t) => ({ since: t - LAST_INTERACTION_REACH, before: t, users: members }));
}

/** What depends on the timelines: whether each member of cohort 1 interacted in their first week. */
export function firstWeekQuestions(timelines: readonly MemberTimeline[], instants: readonly number[]): WindowQuestion[] {
  return instants.flatMap((t) =>
    cohortsOf(timelines, t)[0]!.map((tl) => {
      const start = firstPeriodStart(tl)!;
      return { user: tl.user_id, from: start, to: start + WEEK };
    }),
  );
}
