import type { Deps } from '../discord/command.ts';
import { linkedCustomer } from './checkout.ts';
import { forMember } from './stripe-errors.ts';

export type PortalDeps = Pick<Deps, 'db' | 'stripe' | 'logger'> & { config: Pick<Deps['config'], 'urls'> };

/**
 * A fresh Billing Portal session for the member's linked Stripe customer (portal links expire
 * quickly, so one is made per click), or null when they have never paid.
 */
export async function billingPortalUrl(deps: PortalDeps, userId: string): Promise<string | null> {
  const customer = await linkedCustomer(deps.db, userId);
  if (!customer) return null;
  const session = await forMember(deps.logger, 'billingPortal.sessions.create', () =>
    deps.stripe.billingPortal.sessions.create({ customer, return_url: deps.config.urls.portalReturn }),
  );
  deps.logger.info({ userId, customer, portalSessionId: session.id }, 'billing portal session created');
  return session.url;
}

export const NO_CUSTOMER_MESSAGE =
  "You don't have a payment on file yet, so there is nothing to manage. Use /join to become a member; if you paid and see this, ask a moderator.";
