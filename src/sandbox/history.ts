// The sandbox community's last 12 weeks: who joined when, who paid for which tier, who upgraded,
// downgraded, failed a payment or churned. Times are days before the demo's "now" (the digest's
// asOf). None lies within hours of a week boundary (now − 7k days), and monthly renewals (28 to 31
// days, depending on the calendar) never decide which week something falls in, so the figures are
// the same on any day the demo runs. test/sandbox/history.test.ts holds the figures, by hand.
import { SANDBOX_PRICES } from './tiers.ts';

export const DAY_MS = 86_400_000;

export type PlanPrice = 'supporter' | 'pro';

/** One subscription's story; `days` are days before now. */
export interface PlannedSubscription {
  price: PlanPrice;
  start: number;
  trialDays?: number;
  /** An upgrade or downgrade in the Billing Portal. */
  changes?: { days: number; price: PlanPrice }[];
  /** Cancelled at once (the subscription ends then). */
  cancel?: number;
  /** "Cancel at the period end" chosen then: it ends at its next renewal. */
  cancelAtPeriodEnd?: number;
  /** The n-th renewal is declined; the card is fixed `recoverAfterDays` later, or Stripe gives up at `canceledAt`. */
  failsRenewal?: { n: number; recoverAfterDays?: number; canceledAt?: number };
}

export interface PlannedMember {
  name: string;
  id: string;
  joined: number;
  /** Subscriptions one after another (a returning member keeps their Stripe customer). */
  subscriptions?: PlannedSubscription[];
  /** A lifetime tier (Founder) bought then. */
  lifetime?: number;
  /** Leaves the server at the end of the history (Discord gives leaves no time: receipt time). */
  leaves?: boolean;
}

const member = (n: number, name: string, joined: number, rest: Omit<PlannedMember, 'name' | 'id' | 'joined'> = {}): PlannedMember => ({
  name, id: `13000000000000020${String(n).padStart(2, '0')}`, joined, ...rest,
});
const sub = (price: PlanPrice, start: number, rest: Omit<PlannedSubscription, 'price' | 'start'> = {}): PlannedSubscription => ({ price, start, ...rest });

export const HISTORY_MEMBERS: readonly PlannedMember[] = [
  member(1, 'hana', 83.6, { subscriptions: [sub('pro', 83.2)] }),
  member(2, 'ivan', 82.3, { subscriptions: [sub('supporter', 82.0)] }),
  member(3, 'june', 80.8, { lifetime: 80.4 }),
  // Leaves at a period end seven weeks ago, comes back this week: reactivated.
  member(4, 'kai', 78.5, { subscriptions: [sub('supporter', 75.5, { cancelAtPeriodEnd: 52.3 }), sub('supporter', 2.4)] }),
  member(5, 'cleo', 74.5),
  member(6, 'lena', 70.2, { subscriptions: [sub('supporter', 69.5, { changes: [{ days: 3.3, price: 'pro' }] })] }),
  member(7, 'milo', 66.6, { subscriptions: [sub('pro', 65.4, { changes: [{ days: 4.2, price: 'supporter' }] })] }),
  member(8, 'nora', 64.8, { subscriptions: [sub('supporter', 64.0)] }),
  // A declined renewal four weeks ago; Stripe gives up later: the grace ran out long before.
  member(9, 'gus', 60.2, { subscriptions: [sub('supporter', 58.6, { failsRenewal: { n: 1, canceledAt: 12.5 } })] }),
  member(10, 'oscar', 57.9, { subscriptions: [sub('supporter', 57.5)] }),
  member(11, 'pia', 55.2, { subscriptions: [sub('pro', 54.5)] }),
  member(12, 'finn', 53.3, { subscriptions: [sub('supporter', 52.6, { cancel: 30.4 })] }),
  // Declined at renewal, card fixed a day and a half later: inside the grace, never without access.
  member(13, 'quinn', 49.6, { subscriptions: [sub('supporter', 48.5, { failsRenewal: { n: 1, recoverAfterDays: 1.5 } })] }),
  member(14, 'rosa', 45.3, { subscriptions: [sub('supporter', 44.6)] }),
  member(15, 'sam', 40.5, { subscriptions: [sub('supporter', 39.6, { cancel: 20.5 })], leaves: true }),
  // Declined at renewal this week, not fixed: past the 72 h grace by now.
  member(16, 'tara', 36.4, { subscriptions: [sub('supporter', 34.5, { failsRenewal: { n: 1 } })] }),
  member(17, 'dev', 33.2, { leaves: true }),
  member(18, 'uma', 29.5, { subscriptions: [sub('pro', 26.4)] }),
  member(19, 'vic', 24.3, { subscriptions: [sub('supporter', 22.5, { cancelAtPeriodEnd: 10.4 })] }),
  member(20, 'wren', 18.4, { subscriptions: [sub('supporter', 17.5)] }),
  member(21, 'eli', 15.4),
  member(22, 'xena', 12.5, { subscriptions: [sub('supporter', 11.6)] }),
  member(23, 'yuri', 10.5, { subscriptions: [sub('pro', 9.4)] }),
  member(24, 'bea', 8.3, { subscriptions: [sub('supporter', 6.4, { trialDays: 14 })] }),
  member(25, 'zoe', 5.5, { subscriptions: [sub('supporter', 5.2)] }),
  member(26, 'abe', 3.6, { subscriptions: [sub('pro', 1.4)] }),
];

export const PLAN_PRICE_IDS: Record<PlanPrice, string> = { supporter: SANDBOX_PRICES.supporter, pro: SANDBOX_PRICES.pro };
export const LIFETIME_PRICE_ID = SANDBOX_PRICES.founder;

export function historyMember(name: string): PlannedMember {
  const found = HISTORY_MEMBERS.find((m) => m.name === name);
  if (!found) throw new Error(`no history member called ${name}`);
  return found;
}
