import { beforeEach, describe, expect, it } from 'vitest';
import { itemsOf, loadSubscriptionHistory, subscriptionStateAt } from '../../src/activity/subscription-history.ts';
import { storeSubscriptionPage } from '../../src/membership/reconcile-subscription-page.ts';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { fakeId, fixtureObject, STRIPE_FIXTURES, subscriptionFixture } from '../rigs/stripe.ts';
import { MembershipHarness } from '../membership/membership-harness.ts';

const { ada } = SAMPLE.users;

describe('subscriptionStateAt (pure)', () => {
  const row = (id: number, at: number, over: { start_date?: number | null; ended_at?: number | null } = {}) => ({ id, at, start_date: 0, ended_at: null, ...over });
  it('the last row by (at, id) at or before t; the first row from start_date; nothing from ended_at', () => {
    const rows = [row(3, 500), row(1, 100, { start_date: 40 }), row(2, 500), row(4, 900, { ended_at: 800 })];
    expect(subscriptionStateAt(rows, 39)).toBeNull();
    expect(subscriptionStateAt(rows, 40)?.id).toBe(1);
    expect(subscriptionStateAt(rows, 499)?.id).toBe(1);
    expect(subscriptionStateAt(rows, 500)?.id).toBe(3);
    expect(subscriptionStateAt(rows, 799)?.id).toBe(3);
    expect(subscriptionStateAt(rows, 800)).toBeNull();
    expect(subscriptionStateAt([], 800)).toBeNull();
  });
});

describeWithShared('subscription state history from real webhook events (SQLite, Stripe rig)', STRIPE_FIXTURES, () => {
  const h = MembershipHarness.use();
  const history = () => h.db.selectFrom('subscription_states').selectAll().orderBy('id').execute();
  const ms = (seconds: number) => seconds * 1000;
  beforeEach(async () => {
    await h.db.deleteFrom('subscription_states').execute();
  });

  it("records every state change at its event's created time, the end at ended_at, with amounts per item", async () => {
    const sub = h.subscriptionOf(ada);
    const created = await h.settle('customer.subscription.created', sub(), 1);
    const pastDue = await h.settle('customer.subscription.updated', sub({ status: 'past_due' }), 100, { previous_attributes: { status: 'active' } });
    // A later past_due with nothing new (a retry): no new row, and the grace start stays.
    await h.settle('customer.subscription.updated', sub({ status: 'past_due' }), 200, { previous_attributes: { metadata: {} } });
    const deleted = await h.settle('customer.subscription.deleted', sub({ status: 'canceled', canceledAt: h.T + 300, endedAt: h.T + 300 }), 305);
    const rows = await history();
    expect(rows.map((r) => [r.status, r.at, r.past_due_since, r.ended_at, r.source])).toEqual([
      ['active', ms(h.T + 1), null, null, `stripe:${created.id}`],
      ['past_due', ms(h.T + 100), ms(h.T + 100), null, `stripe:${pastDue.id}`],
      ['canceled', ms(h.T + 300), null, ms(h.T + 300), `stripe:${deleted.id}`],
    ]);
    expect(rows[0]).toMatchObject({ subscription_id: sub.id, stripe_customer_id: sub.customer, discord_user_id: ada, cancel_at_period_end: 0, current_period_end: ms(sub.periodEnd), trial_end: null, start_date: ms(h.T), recorded_at: h.nowMs });
    expect(itemsOf(rows[0]!)).toEqual([{ price_id: SANDBOX_PRICES.supporter, unit_amount: 2000, currency: 'usd', interval: 'month', interval_count: 1, quantity: 1 }]);

    const loaded = (await loadSubscriptionHistory(h.db, { userId: ada })).get(sub.id)!;
    expect(subscriptionStateAt(loaded, ms(h.T))?.status).toBe('active'); // from start_date, before the first event
    expect(subscriptionStateAt(loaded, ms(h.T + 250))?.status).toBe('past_due');
    expect(subscriptionStateAt(loaded, ms(h.T + 300))).toBeNull();
  });

  it('an older event delivered late is history too; a state that lost a same-second tie never held', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    await h.settle('customer.subscription.deleted', sub({ status: 'canceled', canceledAt: h.T + 10, endedAt: h.T + 10 }), 10);
    await h.settle('customer.subscription.updated', sub({ cancelAtPeriodEnd: true }), 5, { previous_attributes: { cancel_at_period_end: false } });
    // Same second as the cancellation, not terminal: the terminal state wins the tie (stripe-sync.ts).
    await h.settle('customer.subscription.updated', sub({ priceIds: [SANDBOX_PRICES.pro] }), 10, { previous_attributes: { items: {} } });
    const rows = await history();
    expect(rows.map((r) => [r.status, r.at, r.cancel_at_period_end])).toEqual([
      ['active', ms(h.T + 1), 0],
      ['canceled', ms(h.T + 10), 0],
      ['active', ms(h.T + 5), 1],
    ]);
    expect(await h.db.selectFrom('subscriptions').select('status').where('id', '=', sub.id).executeTakeFirst()).toEqual({ status: 'canceled' });
    expect(subscriptionStateAt(rows, ms(h.T + 7))?.cancel_at_period_end).toBe(1);
  });

  it('a late invoice.paid whose subscription was cancelled since is stamped when it ended, not at the invoice', async () => {
    const { subscription } = h.rig.stripe.seedSubscription({ priceId: SANDBOX_PRICES.pro, metadata: { discord_user_id: ada } });
    const invoiceFor = () => fixtureObject('invoice', { id: fakeId('in'), customer: subscription.customer, status: 'paid', parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: subscription.id, metadata: null } } });
    await h.settle('invoice.paid', invoiceFor(), 1); // still active when fetched: the invoice's own time
    const stored = h.rig.stripe.store.subscriptions.get(subscription.id) as unknown as { status: string; ended_at: number | null; canceled_at: number | null };
    Object.assign(stored, { status: 'canceled', ended_at: h.T + 10, canceled_at: h.T + 10 });
    await h.settle('invoice.paid', invoiceFor(), 2); // handled after the cancellation
    const rows = await history();
    expect(rows.map((r) => [r.status, r.at])).toEqual([
      ['active', ms(h.T + 1)],
      ['canceled', ms(h.T + 10)],
    ]);
    expect(subscriptionStateAt(rows, ms(h.T + 5))?.status).toBe('active');
  });

  it('rows stored before the customer link get the member when the checkout links it', async () => {
    const sub = h.subscriptionOf(null);
    await h.settle('customer.subscription.created', sub(), 1);
    expect((await history()).map((r) => r.discord_user_id)).toEqual([null]);
    const session = fixtureObject('checkout.session', { id: fakeId('cs'), mode: 'subscription', status: 'complete', payment_status: 'paid', metadata: {}, customer: sub.customer, client_reference_id: ada, subscription: sub.id });
    await h.settle('checkout.session.completed', session, 2);
    expect((await history()).map((r) => r.discord_user_id)).toEqual([ada]);
  });

  it('reconciliation stamps what it learns at its fetch time, and repeats nothing unchanged', async () => {
    const tiers = h.rig.app.deps.tiers;
    const fetched = subscriptionFixture({ priceIds: [SANDBOX_PRICES.pro], metadata: { discord_user_id: ada } });
    const page = (subs: unknown[], at: number) => h.db.transaction().execute((trx) => storeSubscriptionPage(trx, subs as never, at, tiers));
    await page([fetched], 5_000);
    await page([fetched], 6_000);
    const more = structuredClone(fetched) as unknown as { items: { data: { quantity: number }[] } };
    more.items.data[0]!.quantity = 3;
    await page([more], 7_000);
    const rows = await history();
    expect(rows.map((r) => [r.source, r.at, itemsOf(r)[0]!.quantity])).toEqual([
      ['reconcile', 5_000, 1],
      ['reconcile', 7_000, 3],
    ]);
  });
});
