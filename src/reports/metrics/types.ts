// The digest JSON: the contract of issue 7 item 2 (`npm run digest -- --json`).
// Names and layout are fixed; owners compare these figures with Stripe and Discord.
// Every instant is a full ISO 8601 UTC string as Date.prototype.toISOString() writes it.

/** A rate in [0, 1], or null when its denominator is empty (never NaN). */
export type Rate = number | null;
/** A median in minutes, or null when its sample is empty. */
export type MedianMinutes = number | null;

/** Integer minor units per lowercase currency code, e.g. { usd: 12345 }. A missing currency means 0. */
export type MoneyByCurrency = Record<string, number>;

export interface MrrMovement {
  new: number;
  reactivated: number;
  churned: number;
  expansion: number;
  contraction: number;
}

export interface CohortRetention {
  /** Start of the cohort's week: asOf − 7(k+1)d. */
  cohort_start: string;
  size: number;
  /** k entries r1..rk; all null when size is 0. */
  retention: Rate[];
}

export interface AtRiskMember {
  user_id: string;
  renews_at: string | null;
  last_interaction_at: string;
}

export interface Metrics {
  // Membership
  paying_members: number;
  /** Every tier of the tiers file present, zeros included. */
  paying_members_by_tier: Record<string, number>;
  new_paying_members: number;
  reactivated_members: number;
  churned_members: number;
  logo_churn_rate: Rate;
  // Money
  mrr: MoneyByCurrency;
  mrr_movement: Record<string, MrrMovement>;
  // Engagement
  weekly_active_members: number;
  monthly_active_members: number;
  active_rate: Rate;
  stickiness: Rate;
  communicators: number;
  messages: number;
  // Onboarding and retention
  activation_rate: Rate;
  week1_retention: Rate;
  /** 8 entries, k = 1..8. */
  cohort_retention: CohortRetention[];
  // Q&A
  questions_asked: number;
  questions_answered_share: Rate;
  questions_solved_share: Rate;
  median_first_answer_minutes: MedianMinutes;
  median_first_expert_answer_minutes: MedianMinutes;
  unanswered_over_24h: number;
  // Challenges and content
  challenge_entries: number;
  posts_submitted: number;
  posts_approved: number;
  posts_rejected: number;
  median_review_minutes: MedianMinutes;
  review_queue: number;
  // At risk
  at_risk_members: AtRiskMember[];
}

export interface DigestJson {
  as_of: string;
  metrics: Metrics;
  /** The same names computed at asOf − 7d. */
  previous: Metrics;
}
