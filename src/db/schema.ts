import type { ColumnType, Generated } from 'kysely';

/**
 * The table map Kysely type-checks queries against. One interface per table, named after it;
 * timestamps are UTC epoch milliseconds.
 */
export interface Database {
  ui_state: UiStateTable;
  stripe_events: StripeEventsTable;
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
