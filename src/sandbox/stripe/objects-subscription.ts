import type Stripe from 'stripe';
import { newId } from './ids.ts';
import { planOf } from './objects-catalog.ts';

/** Subscriptions as the pinned API version returns them: the billing period lives on each item, not on the subscription. */

export interface SubscriptionInput {
  id?: string;
  customer: string;
  prices: { price: Stripe.Price; quantity?: number }[];
  status: Stripe.Subscription.Status;
  created: number;
  periodStart: number;
  periodEnd: number;
  metadata?: Record<string, string>;
  trialEnd?: number | null;
  latestInvoice?: string | null;
}

export function buildSubscriptionItem(subscription: string, price: Stripe.Price, quantity: number, created: number, period: { start: number; end: number }): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: period.end,
    current_period_start: period.start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(price),
    price,
    quantity,
    subscription,
    tax_rates: [],
  };
}

export function buildSubscription(input: SubscriptionInput): Stripe.Subscription {
  const id = input.id ?? newId('sub');
  const period = { start: input.periodStart, end: input.periodEnd };
  const items = input.prices.map((p) => buildSubscriptionItem(id, p.price, p.quantity ?? 1, input.created, period));
  const trialEnd = input.trialEnd ?? null;
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: input.created,
    currency: input.prices[0]?.price.currency ?? 'usd',
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: input.latestInvoice ?? null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: input.created,
    status: input.status,
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd === null ? null : input.periodStart,
  };
}

/** The current period of a subscription, read from its first item as this API version requires. */
export function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const item = sub.items.data[0];
  return { start: item?.current_period_start ?? sub.start_date, end: item?.current_period_end ?? sub.start_date };
}

export function setPeriod(sub: Stripe.Subscription, period: { start: number; end: number }): void {
  for (const item of sub.items.data) {
    item.current_period_start = period.start;
    item.current_period_end = period.end;
  }
}

/** Calendar arithmetic as Stripe bills: Jan 31 + 1 month is the last day of February. */
export function addInterval(timestamp: number, interval: 'day' | 'week' | 'month' | 'year', count = 1): number {
  const d = new Date(timestamp * 1000);
  if (interval === 'day' || interval === 'week') return timestamp + count * (interval === 'day' ? 86_400 : 604_800);
  const months = interval === 'year' ? 12 * count : count;
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

export function intervalOf(price: Stripe.Price): 'day' | 'week' | 'month' | 'year' {
  switch (price.recurring?.interval) {
    case 'day':
      return 'day';
    case 'week':
      return 'week';
    case 'year':
      return 'year';
    default:
      return 'month';
  }
}

/** The first billing date after `after`, counted from the anchor so a Jan 31 anchor bills Feb 28 and then Mar 31. */
export function nextPeriodEnd(anchor: number, after: number, interval: 'day' | 'week' | 'month' | 'year'): number {
  let n = 1;
  while (addInterval(anchor, interval, n) <= after) n += 1;
  return addInterval(anchor, interval, n);
}
