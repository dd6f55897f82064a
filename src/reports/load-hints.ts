// The activity questions the metric functions are expected to ask, worked out from the members'
// timelines before the first pass, so that the first pass usually finds every answer loaded and is
// the only one (a pass costs two metricsAt over every member). These are hints only: anything the
// metrics ask beyond them is recorded and loaded by the next pass (load-activity.ts), so the figures
// stay exact if the metric functions change; only the speed depends on the hints being right.
import { type ActivityQuestions, windowKey } from './load-activity.ts';
import type { PreparedInput } from './metrics/compute.ts';
import { entitledAt, firstPeriodStart } from './metrics/member-timeline.ts';
import { WEEK } from './metrics/time.ts';

/** For each instant T (asOf and asOf − 7d): W's chat, the last interaction of everyone entitled at T, cohort 1's first weeks. */
export function expectedQuestions(prepared: PreparedInput, instants: readonly number[]): ActivityQuestions {
  const asked: ActivityQuestions = { lastBefore: new Map(), has: new Map(), messages: new Map(), communicators: new Map() };
  const entitled = instants.map(() => new Set<string>());
  for (const t of instants) {
    asked.messages.set(windowKey(t - WEEK, t), { from: t - WEEK, to: t });
    asked.communicators.set(windowKey(t - WEEK, t), { from: t - WEEK, to: t });
  }
  for (const tl of prepared.timelines) {
    const start = firstPeriodStart(tl);
    if (start === null) continue;
    instants.forEach((t, i) => {
      if (entitledAt(tl, t)) entitled[i]!.add(tl.user_id);
      if (start < t - 2 * WEEK || start >= t - WEEK) return;
      const key = windowKey(start, start + WEEK);
      const w = asked.has.get(key) ?? { from: start, to: start + WEEK, users: new Set<string>() };
      asked.has.set(key, w);
      w.users.add(tl.user_id);
    });
  }
  instants.forEach((t, i) => asked.lastBefore.set(t, entitled[i]!));
  return asked;
}
