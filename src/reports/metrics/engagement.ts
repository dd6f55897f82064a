// Weekly and monthly active members among those entitled at asOf, and chat volume.
import type { ChatSource } from './input.ts';
import { rate } from './stats.ts';
import { DAY, WEEK } from './time.ts';
import type { Metrics } from './types.ts';

type EngagementMetrics = Pick<Metrics, 'weekly_active_members' | 'monthly_active_members' | 'active_rate' | 'stickiness' | 'communicators' | 'messages'>;

/** `lastInteractions`: for each member entitled at asOf, their last interaction in [asOf − 28d or earlier, asOf), or null. */
export function engagementMetrics(lastInteractions: readonly (number | null)[], chat: ChatSource, asOf: number): EngagementMetrics {
  let weekly = 0;
  let monthly = 0;
  for (const last of lastInteractions) {
    if (last === null) continue;
    if (last >= asOf - WEEK) weekly++;
    if (last >= asOf - 28 * DAY) monthly++;
  }
  return {
    weekly_active_members: weekly,
    monthly_active_members: monthly,
    active_rate: rate(weekly, lastInteractions.length),
    stickiness: rate(weekly, monthly),
    communicators: chat.communicatorCount(asOf - WEEK, asOf),
    messages: chat.messageCount(asOf - WEEK, asOf),
  };
}
