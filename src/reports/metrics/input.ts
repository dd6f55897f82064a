// Plain inputs of the metric functions. Loaders (database, rollups) build these; the functions do
// no I/O and read no clock. Every time is epoch milliseconds stamped with the source's own time.
import type { SubscriptionStatus } from '../../db/schema.ts';
import type { Policy } from '../../membership/entitlement.ts';
import type { Tiers } from '../../membership/tiers.ts';

export type PriceInterval = 'day' | 'week' | 'month' | 'year';

/**
 * One subscription item as Stripe shows it (subscription_states.items). Amounts are integer minor
 * units; discounts and tax are not here. An item without a flat unit_amount (tiered, metered) or
 * without an interval (not recurring) contributes 0 to MRR.
 */
export interface SubscriptionItem {
  price_id: string;
  unit_amount: number | null;
  /** ISO code, e.g. "usd"; lowercased when summed. */
  currency: string;
  interval: PriceInterval | null;
  interval_count: number;
  quantity: number;
}

/**
 * The state of one subscription from `at` until the next row of the same subscription (a row of
 * subscription_states). Rows of equal `at`: the later one in the input wins, so pass them in id order.
 */
export interface SubscriptionState {
  subscription_id: string;
  status: SubscriptionStatus;
  items: readonly SubscriptionItem[];
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  current_period_end: number | null;
  trial_end: number | null;
  /** Stripe's start_date: the first state of the subscription holds from here. */
  start_date: number | null;
  /** Stripe's ended_at: once known on any row, nothing of the subscription counts from then on. */
  ended_at: number | null;
  /** The event.created of the first event showing past_due after another status; not restarted by retries. */
  past_due_since: number | null;
  /** Source time of this state: the Stripe event.created that showed it (receipt time if reconciled). */
  at: number;
}

export interface LifetimePurchase {
  price_id: string;
  purchased_at: number;
  status: 'paid' | 'refunded' | 'disputed';
  /** When the current status began: a refund or dispute ends the entitlement here. */
  state_at: number;
}

export interface Grant {
  tier_name: string;
  created_at: number;
  until: number | null;
  revoked_at: number | null;
}

/** Everything that can entitle one member (a Discord user id), in any order. */
export interface MemberSources {
  user_id: string;
  subscription_states: readonly SubscriptionState[];
  lifetime_purchases: readonly LifetimePurchase[];
  grants: readonly Grant[];
}

/**
 * Interactions (every captured kind except joins, leaves and subscription changes), bots excluded.
 * An interface so that large communities answer from rollups; `interactionsFromTimestamps` is the
 * in-memory version.
 */
export interface InteractionSource {
  /** True when the member has an interaction stamped in [from, to). */
  hasInteraction(userId: string, from: number, to: number): boolean;
  /** The latest interaction stamped in [since, before), or null. */
  lastInteractionSince(userId: string, since: number, before: number): number | null;
}

/** Messages and voice of every non-bot user, paying or not. `chatFromEvents` is the in-memory version. */
export interface ChatSource {
  /** Non-bot messages (threads and forum posts included) stamped in [from, to). */
  messageCount(from: number, to: number): number;
  /**
   * Distinct non-bot users with a message stamped in [from, to), or at least one minute in voice
   * within [from, to) (their sessions' overlap with the window, summed).
   */
  communicatorCount(from: number, to: number): number;
}

export type QuestionStatus = 'open' | 'solved' | 'closed';

export interface Question {
  asked_at: number;
  first_answer_at: number | null;
  first_expert_answer_at: number | null;
  /**
   * Status changes after asking, oldest first: solved -> 'solved', closed as stale or thread deleted ->
   * 'closed', reopened -> 'open'. A question is 'open' from asked_at until the first change.
   */
  status_changes: readonly { at: number; status: QuestionStatus }[];
}

export type ReviewAction = 'approve' | 'reject' | 'request_changes';

/** One version of a post sent to review. */
export interface PostReview {
  submitted_at: number;
  decision: { action: ReviewAction; at: number } | null;
  /** When it left the queue without a decision (withdrawn, superseded by an edit, post deleted). */
  closed_at: number | null;
}

export interface Post {
  /** Every version sent to review, oldest first; the first one is the post's submission. */
  reviews: readonly PostReview[];
}

export interface MetricsInput {
  tiers: Tiers;
  policy: Policy;
  members: readonly MemberSources[];
  interactions: InteractionSource;
  chat: ChatSource;
  questions: readonly Question[];
  /** Submission time of each challenge entry (an edit is not a new entry). */
  challenge_entries: readonly number[];
  posts: readonly Post[];
}
