import type { StripeEmulatorOptions } from './stripe/index.ts';
import { SAMPLE } from './discord/index.ts';

/** The sandbox community's tiers (what an owner writes in tiers.json) and the Stripe prices behind them. */
export const SANDBOX_PRICES = {
  supporter: 'price_sandbox_supporter',
  supporterYearly: 'price_sandbox_supporter_yearly',
  pro: 'price_sandbox_pro',
  founder: 'price_sandbox_founder',
} as const;

export const SANDBOX_TIERS = [
  { name: 'Supporter', roleId: SAMPLE.roles.member, priceIds: [SANDBOX_PRICES.supporter, SANDBOX_PRICES.supporterYearly], rank: 1, perks: ['Members-only channels', 'Ask the experts'], lifetime: false },
  { name: 'Pro', roleId: SAMPLE.roles.pro, priceIds: [SANDBOX_PRICES.pro], rank: 2, perks: ['Everything in Supporter', 'Priority answers'], lifetime: false },
  { name: 'Founder', roleId: SAMPLE.roles.founder, priceIds: [SANDBOX_PRICES.founder], rank: 3, perks: ['Everything in Pro, for life'], lifetime: true },
];

export const SANDBOX_STRIPE_PRICES: NonNullable<StripeEmulatorOptions['prices']> = [
  { id: SANDBOX_PRICES.supporter, productName: 'Supporter', unitAmount: 500, currency: 'usd', recurring: { interval: 'month' } },
  { id: SANDBOX_PRICES.supporterYearly, productName: 'Supporter', unitAmount: 5000, currency: 'usd', recurring: { interval: 'year' } },
  { id: SANDBOX_PRICES.pro, productName: 'Pro', unitAmount: 1500, currency: 'usd', recurring: { interval: 'month' } },
  { id: SANDBOX_PRICES.founder, productName: 'Founder', unitAmount: 30000, currency: 'usd', recurring: null },
];
