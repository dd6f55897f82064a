// The activity questions metricsAt will ask at each instant, worked out from the members' timelines
// with the metric functions' own helpers, so that every answer can be loaded before the metrics run
// (they are synchronous and do no I/O). If the two ever disagree, the loaded sources throw
// (load-interactions.ts, load-chat.ts) instead of answering with a wrong figure.
import type { Window } from './load-chat.ts';
import type { InteractionQuestions } from './load-interactions.ts';
import { cohortsOf } from './metrics/cohorts.ts';
import { LAST_INTERACTION_REACH } from './metrics/compute.ts';
import { entitledAt, firstPeriodStart, type MemberTimeline } from './metrics/member-timeline.ts';
import { WEEK } from './metrics/time.ts';

export interface ActivityQuestions {
  interactions: InteractionQuestions;
  /** W of each instant: messages and communicators. */
  chat: Window[];
}

/** For each instant T: every member entitled at T (latest interaction), cohort 1's first weeks, W's chat. */
export function activityQuestions(timelines: readonly MemberTimeline[], instants: readonly number[]): ActivityQuestions {
  const last: InteractionQuestions['last'][number][] = [];
  const has: InteractionQuestions['has'][number][] = [];
  for (const t of instants) {
    last.push({ since: t - LAST_INTERACTION_REACH, before: t, users: timelines.filter((tl) => entitledAt(tl, t)).map((tl) => tl.user_id) });
    for (const tl of cohortsOf(timelines, t)[0]!) {
      const start = firstPeriodStart(tl)!;
      has.push({ user: tl.user_id, from: start, to: start + WEEK });
    }
  }
  return { interactions: { last, has }, chat: instants.map((t) => ({ from: t - WEEK, to: t })) };
}
