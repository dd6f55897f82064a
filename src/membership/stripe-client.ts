import Stripe from 'stripe';
import type { Config } from '../config.ts';

/** Pinned so a Stripe account upgrade cannot change the shapes we parse; bump it deliberately. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export function createStripeClient(config: Pick<Config, 'stripeSecretKey' | 'stripeApi'>): Stripe {
  return new Stripe(config.stripeSecretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Guildhall' },
    ...(config.stripeApi ?? {}),
  });
}
