import type { ColumnType, Generated } from 'kysely';
import type { ActivityTables } from './schema-activity.ts';
import type { ChallengeTables } from './schema-challenges.ts';
import type { DigestTables } from './schema-digest.ts';
import type { LeaderboardTables } from './schema-leaderboards.ts';
import type { PostTables } from './schema-posts.ts';
import type { RatingTables } from './schema-ratings.ts';

/**
 * The table map Kysely type-checks queries against. One interface per table, named after it;
 * timestamps are UTC epoch milliseconds. Each later feature keeps its tables in its own
 * schema-<feature>.ts, merged here.
 */
export interface Database extends ChallengeTables, LeaderboardTables, PostTables, RatingTables, ActivityTables, DigestTables {
  ui_state: UiStateTable;
  stripe_events: StripeEventsTable;
  customers: CustomersTable;
  subscriptions: SubscriptionsTable;
  lifetime_purchases: LifetimePurchasesTable;
  grants: GrantsTable;
  entitlements: EntitlementsTable;
  outbox: OutboxTable;
  role_audit: RoleAuditTable;
  questions: QuestionsTable;
  question_events: QuestionEventsTable;
  answers: AnswersTable;
  qa_search: QaSearchTable;
  points: PointsTable;
  member_notices: MemberNoticesTable;
}

/** State behind buttons, select menus and modals, so they keep working after a restart. */
export interface UiStateTable {
  id: string;
  kind: string;
  owner_id: string | null;
  payload: string;
  created_at: number;
  expires_at: number | null;
}

/** Every verified Stripe webhook, recorded before we answer 2xx, so no payment is ever lost. */
export interface StripeEventsTable {
  id: string;
  type: string;
  created: number;
  livemode: ColumnType<number, number, never>;
  payload: string;
  received_at: number;
  processed_at: number | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface CustomersTable {
  stripe_customer_id: string;
  discord_user_id: string;
  linked_at: number;
  /** e.g. "stripe:evt_…" or "reconcile". */
  source: string;
}

export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'canceled' | 'unpaid' | 'incomplete' | 'incomplete_expired' | 'paused';

export interface SubscriptionsTable {
  id: string;
  stripe_customer_id: string;
  discord_user_id: string | null;
  status: SubscriptionStatus;
  /** JSON array of the price ids of its items. */
  price_ids: string;
  cancel_at_period_end: number;
  cancel_at: number | null;
  current_period_end: number | null;
  trial_end: number | null;
  ended_at: number | null;
  /** When it first showed past_due after another status (Stripe's event.created); null otherwise. */
  past_due_since: number | null;
  /** Source time of this state; older events are ignored. */
  state_at: number;
  updated_at: number;
}

export interface LifetimePurchasesTable {
  id: string;
  discord_user_id: string;
  stripe_customer_id: string | null;
  payment_intent_id: string | null;
  price_id: string;
  status: 'paid' | 'refunded' | 'disputed';
  purchased_at: number;
  state_at: number;
}

export interface GrantsTable {
  id: Generated<number>;
  discord_user_id: string;
  tier_name: string;
  until: number | null;
  granted_by: string;
  reason: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface EntitlementsTable {
  discord_user_id: string;
  tier_name: string | null;
  /** JSON array of the managed role ids the member should hold. */
  role_ids: string;
  /** When the decision lapses by itself; the scheduled check re-decides rows past it. */
  expires_at: number | null;
  updated_at: number;
}

export type OutboxKind = 'role_add' | 'role_remove' | 'message';
export type OutboxStatus = 'pending' | 'waiting_member' | 'done' | 'failed' | 'superseded';

export interface OutboxTable {
  id: Generated<number>;
  kind: OutboxKind;
  discord_user_id: string | null;
  role_id: string | null;
  /** JSON: for messages `{ channelId } | { userId }` plus the message body. */
  payload: string;
  /** Same key, same effect: a second insert is ignored (alerts, DMs per event). */
  dedupe_key: string | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  reason: string;
  source: string;
  created_at: number;
  done_at: number | null;
}

export interface RoleAuditTable {
  id: Generated<number>;
  discord_user_id: string;
  role_id: string;
  action: 'granted' | 'revoked';
  reason: string;
  source: string;
  at: number;
  posted_at: number | null;
}

// ---- Q&A (issue 4) ----

export type QuestionState = 'open' | 'answered' | 'solved' | 'stale';

export interface QuestionsTable {
  id: Generated<number>;
  /** Null until the thread is posted. */
  thread_id: string | null;
  channel_id: string;
  asker_id: string;
  title: string;
  body: string;
  code: string | null;
  /** JSON array of topic names. */
  topics: string;
  state: QuestionState;
  /** When the unanswered reminder is due (reminderHours, or sooner for the asker's priority tier). */
  reminder_due_at: number;
  created_at: number;
  last_activity_at: number;
  first_answer_at: number | null;
  first_answer_by: string | null;
  first_expert_answer_at: number | null;
  first_expert_answer_by: string | null;
  solution_message_id: string | null;
  solution_author_id: string | null;
  /** At most 300 characters of the solution message, kept for search. */
  solution_excerpt: string | null;
  solved_at: number | null;
  solved_by: string | null;
  reminded_at: number | null;
  nudged_at: number | null;
  stale_at: number | null;
  archive_due_at: number | null;
  archived_at: number | null;
}

export type QuestionEventKind =
  | 'asked'
  | 'answered'
  | 'expert_answered'
  | 'solved'
  | 'reopened'
  | 'reminded'
  | 'nudged'
  | 'stale'
  | 'archived'
  | 'thread_deleted';

export interface QuestionEventsTable {
  id: Generated<number>;
  question_id: number;
  kind: QuestionEventKind;
  actor_id: string | null;
  at: number;
  detail: string | null;
}

/** Metadata only: who answered, which message, the message's own timestamp. */
export interface AnswersTable {
  id: Generated<number>;
  question_id: number;
  author_id: string;
  message_id: string;
  at: number;
  is_expert: number;
}

/** FTS5 table over solved questions; rowid = questions.id. */
export interface QaSearchTable {
  rowid: number;
  title: string;
  body: string;
  topics: string;
  solution_excerpt: string;
}

export type PointsSource = 'qa_solution' | 'post_approved' | 'rating' | 'challenge';

/** The one points ledger; UNIQUE(source, ref, member_id). A reversal is a negative row with ref + ':reversed'. */
export interface PointsTable {
  id: Generated<number>;
  member_id: string;
  amount: number;
  source: PointsSource;
  ref: string;
  at: number;
}

/**
 * A DM that Discord refused (closed DMs, 50007). The member sees it ephemerally with their next
 * interaction instead, so an outcome is never lost.
 */
export interface MemberNoticesTable {
  id: Generated<number>;
  user_id: string;
  /** JSON: the message body that could not be sent as a DM. */
  body: string;
  source: string;
  created_at: number;
  shown_at: number | null;
}
