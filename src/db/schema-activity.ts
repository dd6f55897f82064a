// Tables for activity events, rollups, open voice sessions and subscription history (issue 7);
// merged into Database in schema.ts. Metadata only: no column holds message text.
import type { Generated } from 'kysely';
import type { ActivityKind } from '../activity/sink.ts';
import type { SubscriptionStatus } from './schema.ts';

/** One captured event. Raw rows are pruned after ACTIVITY_RETENTION_DAYS; activity_hourly keeps the totals. */
export interface ActivityEventsTable {
  id: Generated<number>;
  user_id: string;
  kind: ActivityKind;
  /** The source's own time (message snowflake, joined_at, interaction id); receipt time when it has none. Voice: the join. */
  at: number;
  /** Channel or thread (forum posts are threads). */
  channel_id: string | null;
  /** What it is about: `question:12`, `post:4`, `command:ask`, … */
  ref: string | null;
  /** Voice sessions only: the leave. */
  ended_at: number | null;
}

/**
 * Per member, UTC hour and kind. `count`: events whose `at` falls in the hour (a voice session counts
 * in the hour it began). `voice_ms`: the part of voice sessions that overlaps the hour (a session is
 * split over the hours it spans). `first_at`/`last_at`: earliest/latest counted `at` in the hour
 * (null when count = 0), so the last interaction stays exact after raw events are pruned, and
 * "any interaction in [from, to)" over more than one hour is exact from rollups alone (edge hour
 * containing `from`: last_at >= from; edge hour containing `to`: first_at < to).
 * Primary key (hour, user_id, kind) for reads by hour range; per-member questions go to
 * activity_member_days.
 */
export interface ActivityHourlyTable {
  /** Start of the UTC hour, epoch ms. */
  hour: number;
  user_id: string;
  kind: ActivityKind;
  count: number;
  voice_ms: number;
  first_at: number | null;
  last_at: number | null;
}

/**
 * Per member and UTC day: the earliest and latest interaction `at` (every kind but join, leave and
 * subscription_change). Kept for good, like activity_hourly, and written in the same transaction.
 * "Any interaction in [from, to)" over more than a day is exact from these rows alone (the day
 * containing `from`: last_at >= from; the day containing `to`: first_at < to; days between: yes).
 * Primary key (user_id, day): the digest probes each member's latest day before an instant; /me
 * reads one member's days.
 */
export interface ActivityMemberDaysTable {
  /** Start of the UTC day, epoch ms. */
  day: number;
  user_id: string;
  first_at: number;
  last_at: number;
}

/** Voice sessions in progress; `seen_at` is refreshed every minute, so a crash loses at most that. */
export interface VoiceSessionsOpenTable {
  user_id: string;
  channel_id: string;
  started_at: number;
  seen_at: number;
}

/** One item of `subscription_states.items` (from Stripe's items.data[].price and quantity). */
export interface SubscriptionStateItem {
  price_id: string;
  /** Minor units; null when the price has no flat unit amount (tiered or metered prices). */
  unit_amount: number | null;
  /** Lowercase ISO code as Stripe gives it, e.g. "usd". */
  currency: string;
  /** 'day' | 'week' | 'month' | 'year'; null for a price that is not recurring. */
  interval: string | null;
  interval_count: number;
  /** 1 when Stripe gives none. */
  quantity: number;
}

/**
 * Append-only history of every observed subscription state, written in the same transaction as the
 * `subscriptions` upsert (webhook events and reconciliation). Reading it at an instant t: per
 * subscription, order rows by (at, id) and take the last row with at <= t; before its first row a
 * subscription holds its first row's state from `start_date` on; once a row shows ended_at, nothing
 * counts from ended_at on. A repeated identical state is not appended again, and a state that lost a
 * same-second tie to the stored one is not appended (the later id wins ties: it superseded the other).
 * `src/activity/subscription-history.ts` has a loader and `subscriptionStateAt` that apply these rules.
 */
export interface SubscriptionStatesTable {
  id: Generated<number>;
  subscription_id: string;
  stripe_customer_id: string;
  /** The member it is attributed to; filled in later on every row when a customer link arrives after the state. */
  discord_user_id: string | null;
  status: SubscriptionStatus;
  /** JSON array of SubscriptionStateItem. */
  items: string;
  cancel_at_period_end: number;
  cancel_at: number | null;
  current_period_end: number | null;
  trial_end: number | null;
  /** Stripe's start_date (ms): the subscription exists from here. */
  start_date: number | null;
  /** Stripe's ended_at (ms). */
  ended_at: number | null;
  /** event.created of the first event showing past_due after another status (the grace counts from it). */
  past_due_since: number | null;
  /**
   * Source time of the state: the Stripe event.created that showed it; for an ended subscription
   * (canceled, incomplete_expired) its ended_at; for state learned by reconciliation, the fetch time.
   */
  at: number;
  /** 'stripe:evt_…' or 'reconcile'. */
  source: string;
  /** When we wrote it (audit only; never use it as the state's time). */
  recorded_at: number;
}

export interface ActivityTables {
  activity_events: ActivityEventsTable;
  activity_hourly: ActivityHourlyTable;
  activity_member_days: ActivityMemberDaysTable;
  voice_sessions_open: VoiceSessionsOpenTable;
  subscription_states: SubscriptionStatesTable;
}
