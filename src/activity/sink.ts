// The port features use to record member activity (metadata only: who, what kind, where, when).
// record() never blocks and never throws: the buffered capture (activity/capture.ts) writes in batches.

export type ActivityKind =
  | 'message'
  | 'reaction'
  | 'voice'
  | 'command'
  | 'join'
  | 'leave'
  | 'question_asked'
  | 'answer'
  | 'solution'
  | 'challenge_entry'
  | 'post_submitted'
  | 'post_decided'
  | 'rating'
  | 'subscription_change';

export interface ActivityInput {
  /** The Discord user id of whoever acted (the rater, the deciding moderator, the entrant). */
  userId: string;
  kind: ActivityKind;
  /** The source's own time (message snowflake, joined_at, Stripe event.created); receipt time only when it has none. */
  at: number;
  channelId?: string | null;
  /** What it is about, e.g. `question:12`, `post:4`, `challenge:3`, a subscription id. */
  ref?: string | null;
  /** Voice sessions: whole minutes from join to leave. */
  minutes?: number;
  /** Voice sessions: the leave (exact); when absent, at + minutes. */
  endAt?: number;
  /** Bots are excluded from every figure; callers pass what Discord says. */
  bot?: boolean;
}

export interface ActivitySink {
  record(event: ActivityInput): void;
}

/** For tools and tests that record nothing. */
export const noActivity: ActivitySink = { record: () => {} };
