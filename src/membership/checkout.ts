import type Stripe from 'stripe';
import type { Deps } from '../discord/command.ts';
import { UserError } from '../discord/user-error.ts';
import { decide, type AccessState } from './entitlement.ts';
import { loadSources } from './member-sync.ts';
import type { DbOrTrx } from './outbox.ts';
import { forMember } from './stripe-errors.ts';
import type { Tier, Tiers } from './tiers.ts';

export type CheckoutDeps = Pick<Deps, 'db' | 'stripe' | 'tiers' | 'policy' | 'clock' | 'logger'> & { config: Pick<Deps['config'], 'urls'> };

export type JoinResult =
  | { kind: 'checkout'; tier: Tier; url: string; sessionId: string }
  /** Already paying (subscription or lifetime): changes go through the Billing Portal, never a second subscription. */
  | { kind: 'entitled'; tier: Tier; state: AccessState };

export function tierToSell(tiers: Tiers, name: string | null): Tier {
  if (!name) return tiers.lowest;
  const tier = tiers.byName(name);
  if (!tier) throw new UserError('invalid_input', `There is no tier called "${name}". Pick one of: ${tiers.list.map((t) => t.name).join(', ')}.`);
  return tier;
}

/** The most recently linked Stripe customer of a member, so a returning member keeps one customer. */
export async function linkedCustomer(db: DbOrTrx, userId: string): Promise<string | null> {
  const row = await db.selectFrom('customers').select('stripe_customer_id').where('discord_user_id', '=', userId).orderBy('linked_at', 'desc').executeTakeFirst();
  return row?.stripe_customer_id ?? null;
}

/** One key per member, tier and minute: a double-click replays the first session instead of creating a second. */
export function checkoutIdempotencyKey(userId: string, tier: Tier, now: number): string {
  return `guildhall-join-${userId}-${tier.priceIds[0]}-${Math.floor(now / 60_000)}`;
}

export function checkoutParams(tier: Tier, userId: string, customer: string | null, urls: Deps['config']['urls']): Stripe.Checkout.SessionCreateParams {
  const priceId = tier.priceIds[0]!;
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: tier.lifetime ? 'payment' : 'subscription',
    line_items: [{ price: priceId, quantity: 1 }],
    // Who paid is carried by Checkout itself, never guessed from a typed email.
    client_reference_id: userId,
    metadata: { discord_user_id: userId, tier: tier.name, price_id: priceId },
    allow_promotion_codes: true,
    success_url: urls.checkoutSuccess,
    cancel_url: urls.checkoutCancel,
  };
  if (customer) params.customer = customer;
  if (tier.lifetime) {
    // A guest payment has no customer: ask for one so refunds, disputes and /billing can find the member.
    if (!customer) params.customer_creation = 'always';
    params.payment_intent_data = { metadata: { discord_user_id: userId } };
  } else {
    params.subscription_data = { metadata: { discord_user_id: userId } };
  }
  return params;
}

/**
 * /join: a Checkout Session for `tierName` (default: the lowest tier), or, for a member who is
 * already paying, their tier instead. Complimentary grants do not block buying: a member on a
 * grant may start paying before it ends.
 */
export async function startJoin(deps: CheckoutDeps, userId: string, tierName: string | null): Promise<JoinResult> {
  const tier = tierToSell(deps.tiers, tierName);
  const now = deps.clock.now();
  const sources = await loadSources(deps.db, userId);
  const paid = decide({ ...sources, grants: [] }, deps.tiers, now, deps.policy);
  if (paid.tier && paid.via) return { kind: 'entitled', tier: paid.tier, state: paid.via.entitlement.state };
  const customer = await linkedCustomer(deps.db, userId);
  const session = await forMember(deps.logger, 'checkout.sessions.create', () =>
    deps.stripe.checkout.sessions.create(checkoutParams(tier, userId, customer, deps.config.urls), {
      idempotencyKey: checkoutIdempotencyKey(userId, tier, now),
    }),
  );
  if (!session.url) throw new UserError('unavailable', 'Stripe did not return a payment page; please try again.');
  deps.logger.info({ userId, tier: tier.name, sessionId: session.id, customer }, 'checkout session created');
  return { kind: 'checkout', tier, url: session.url, sessionId: session.id };
}
