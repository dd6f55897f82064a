import type Stripe from 'stripe';
import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import { storeSubscriptionPage } from './reconcile-subscription-page.ts';
import { retryBusy } from './reconcile-tx.ts';
import type { Tiers } from './tiers.ts';

/** Stripe's list maximum: one request per 100 subscriptions, one transaction per page. */
export const STRIPE_PAGE = 100;

const MAX_FAILURE_LINES = 50;

export interface SubscriptionsRefresh {
  listed: number;
  /** Live, tier-paying subscriptions nobody can be attributed to, plus any that could not be stored. */
  failed: number;
}

/**
 * Walks every subscription (status=all, never Search) with stripe-node's auto-pagination and
 * refreshes the stored rows page by page, so at most one page is ever held in memory.
 */
export async function refreshSubscriptions(
  deps: { db: Db; stripe: Stripe; clock: Clock; logger: Logger; tiers: Tiers },
  onPage: (listed: number) => void,
): Promise<SubscriptionsRefresh> {
  let failed = 0;
  let listed = 0;
  let page: Stripe.Subscription[] = [];
  // Order safety against webhook events, whose `created` is in whole seconds: the state of a page
  // is stamped just below the second in which its request starts. It then beats every event of an
  // earlier second (the answer includes them) and loses to any event of that second or later
  // (which the answer may predate; events break ties among themselves).
  const stamp = () => Math.floor(deps.clock.now() / 1000) * 1000 - 1;
  let fetchedAt = stamp();
  const iterator = deps.stripe.subscriptions.list({ status: 'all', limit: STRIPE_PAGE });
  const flush = async () => {
    const stateAt = fetchedAt;
    const { failures } = await retryBusy(() => deps.db.transaction().execute((trx) => storeSubscriptionPage(trx, page, stateAt, deps.tiers)));
    for (const f of failures) {
      // A canceled subscription of another product nobody can be attributed to is no failure.
      if (!f.matters) continue;
      if (failed < MAX_FAILURE_LINES) deps.logger.warn({ subscriptionId: f.id, customerId: f.customerId, problem: f.problem }, 'reconcile: a subscription could not be attributed or stored');
      failed += 1;
    }
    listed += page.length;
    page = [];
    onPage(listed);
    fetchedAt = stamp();
  };
  for await (const sub of iterator) {
    page.push(sub);
    if (page.length === STRIPE_PAGE) await flush();
  }
  if (page.length) await flush();
  if (failed > MAX_FAILURE_LINES) deps.logger.warn({ more: failed - MAX_FAILURE_LINES }, 'reconcile: more subscriptions could not be attributed');
  return { listed, failed };
}

