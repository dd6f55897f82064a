import { expect, it, vi } from 'vitest';
import { retryDelayMs } from '../../src/membership/event-processor.ts';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { discordContractAvailable, loadDiscordContract } from '../rigs/discord-contract.ts';
import { TEST_SECRETS } from '../rigs/env.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { fakeId, fixtureObject, STRIPE_FIXTURES } from '../rigs/stripe.ts';
import { DAY, MembershipHarness, PRO, SUPPORTER } from './membership-harness.ts';

const { ada, brian } = SAMPLE.users;
const GRACE_MS = 72 * 3_600_000;

describeWithShared('Stripe events become membership state (real webhook route, SQLite, Stripe emulator)', STRIPE_FIXTURES, () => {
  const h = MembershipHarness.use();

  it('the same event delivered three times queues one role change', async () => {
    const sub = h.subscriptionOf(ada);
    const event = await h.settle('customer.subscription.created', sub(), 1);
    for (let i = 0; i < 2; i++) {
      await h.deliver(event.type, event.data.object, { id: event.id, created: event.created });
      expect(await h.processor.drain()).toBe(0);
    }
    expect(await h.roleRows(ada)).toEqual([{ kind: 'role_add', role_id: SUPPORTER, status: 'pending', source: `stripe:${event.id}` }]);
    expect(await h.event(event.id)).toMatchObject({ processed_at: h.nowMs, attempts: 0 });
  });

  it('a newer deleted delivered before an older updated ends revoked', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    await h.settle('customer.subscription.deleted', sub({ status: 'canceled', canceledAt: h.T + 10, endedAt: h.T + 10 }), 10);
    await h.settle('customer.subscription.updated', sub({ status: 'active' }), 5, { previous_attributes: { metadata: {} } });
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'remove' });
    expect(await h.entitlement(ada)).toMatchObject({ tier_name: null, role_ids: '[]' });
    expect(await h.db.selectFrom('subscriptions').select(['status', 'state_at']).where('id', '=', sub.id).executeTakeFirst()).toEqual({ status: 'canceled', state_at: (h.T + 10) * 1000 });
  });

  it.each(['deleted first', 'updated first'])('within one second the terminal state wins, whatever the order (%s)', async (order) => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    const ended = () => h.settle('customer.subscription.deleted', sub({ status: 'canceled', canceledAt: h.T + 5, endedAt: h.T + 5 }), 5);
    const updated = () => h.settle('customer.subscription.updated', sub({ cancelAtPeriodEnd: true }), 5);
    if (order === 'deleted first') await ended().then(updated);
    else await updated().then(ended);
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'remove' });
  });

  it('a tier change adds the new role and removes the old one', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    await h.settle('customer.subscription.updated', sub({ priceIds: [SANDBOX_PRICES.pro] }), 2, { previous_attributes: { items: {} } });
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'remove', [PRO]: 'add' });
    expect(await h.entitlement(ada)).toMatchObject({ tier_name: 'Pro', role_ids: JSON.stringify([PRO]) });
  });

  it('cancel at period end keeps the role until the end, then the expiry review revokes it', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    await h.settle('customer.subscription.updated', sub({ cancelAtPeriodEnd: true, canceledAt: h.T + 2 }), 2, { previous_attributes: { cancel_at_period_end: false, cancel_at: null } });
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'add' });
    expect((await h.entitlement(ada))?.expires_at).toBe(sub.periodEnd * 1000);
    h.nowMs = sub.periodEnd * 1000 - 1;
    expect(await h.review()).toBe(0);
    h.nowMs = sub.periodEnd * 1000;
    expect(await h.review()).toBe(1);
    expect((await h.roleRows(ada)).at(-1)).toMatchObject({ kind: 'role_remove', role_id: SUPPORTER, source: 'expiry' });
    expect(await h.review()).toBe(0);
  });

  it('past_due keeps the role for the grace period from when it began, then the expiry review revokes it', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    await h.settle('customer.subscription.updated', sub({ status: 'past_due' }), 100, { previous_attributes: { status: 'active' } });
    // A later past_due (here a metadata change) does not restart the grace period.
    await h.settle('customer.subscription.updated', sub({ status: 'past_due' }), 200, { previous_attributes: { metadata: {} } });
    const graceEnd = (h.T + 100) * 1000 + GRACE_MS;
    expect(await h.entitlement(ada)).toMatchObject({ tier_name: 'Supporter', expires_at: graceEnd });
    h.nowMs = graceEnd - 1;
    expect(await h.review()).toBe(0);
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'add' });
    h.nowMs = graceEnd;
    expect(await h.review()).toBe(1);
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'remove' });
  });

  it('checkout links the customer to the member named by Checkout, and the subscription gives the role', async () => {
    const stripe = h.rig.app.deps.stripe;
    // No subscription_data.metadata: the subscription can only be attributed through the customer link.
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: SANDBOX_PRICES.supporter, quantity: 1 }],
      client_reference_id: brian,
      metadata: { discord_user_id: brian, tier: 'Supporter', price_id: SANDBOX_PRICES.supporter },
      success_url: 'https://example.test/ok',
      cancel_url: 'https://example.test/cancel',
    });
    const paid = await h.rig.stripe.completeCheckout(session.id, { email: 'someone-else@example.test' });
    expect(await h.processor.drain()).toBe(paid.events.length);
    expect(await h.db.selectFrom('customers').select(['stripe_customer_id', 'discord_user_id']).execute()).toEqual([{ stripe_customer_id: paid.customer!.id, discord_user_id: brian }]);
    expect(await h.intents(brian)).toEqual({ [SUPPORTER]: 'add' });

    // A failed renewal inside the grace period keeps the role and DMs once; a paid invoice ends past_due.
    h.emulatorNow += 30 * DAY;
    const failed = await h.rig.stripe.failPayment(paid.subscription!.id);
    await h.processor.drain();
    expect(await h.db.selectFrom('subscriptions').select('status').executeTakeFirst()).toEqual({ status: 'past_due' });
    expect((await h.messages()).map((m) => m.dedupe_key)).toEqual([`dm:payment_failed:${failed.events.find((e) => e.type === 'invoice.payment_failed')!.id}`]);
    h.emulatorNow += DAY;
    await h.rig.stripe.renewSubscription(paid.subscription!.id);
    await h.processor.drain();
    expect(await h.db.selectFrom('subscriptions').select(['status', 'past_due_since']).executeTakeFirst()).toEqual({ status: 'active', past_due_since: null });
    expect(await h.entitlement(brian)).toMatchObject({ tier_name: 'Supporter', expires_at: null });
    expect(await h.intents(brian)).toEqual({ [SUPPORTER]: 'add' });
    expect(h.rig.stripe.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/subscriptions/')).length).toBeGreaterThanOrEqual(2);
  });

  it('a subscription seen before its customer link is attributed when the checkout arrives', async () => {
    const sub = h.subscriptionOf(null);
    await h.settle('customer.subscription.created', sub(), 1);
    expect(await h.db.selectFrom('subscriptions').select('discord_user_id').executeTakeFirst()).toEqual({ discord_user_id: null });
    expect(await h.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    await h.settle('checkout.session.completed', checkoutSession({ customer: sub.customer, client_reference_id: ada, subscription: sub.id }), 2);
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'add' });
  });

  it('a checkout whose client_reference_id and metadata disagree links nobody', async () => {
    const customer = fakeId('cus');
    await h.settle('checkout.session.completed', checkoutSession({ customer, client_reference_id: ada, metadata: { discord_user_id: brian } }), 1);
    expect(await h.db.selectFrom('customers').selectAll().execute()).toEqual([]);
    expect(h.rig.logs.entries().some((l) => l.msg === 'checkout session names two different members; not linked')).toBe(true);
  });

  it('invoice.payment_failed queues exactly one DM with the billing button and the end of the grace period', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('customer.subscription.created', sub(), 1);
    const invoice = fixtureObject('invoice', { id: fakeId('in'), customer: sub.customer, status: 'open', parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: sub.id, metadata: { discord_user_id: ada } } } });
    const event = await h.settle('invoice.payment_failed', invoice, 50);
    await h.deliver(event.type, invoice, { id: event.id, created: event.created });
    await h.processor.drain();
    const messages = await h.messages();
    expect(messages).toHaveLength(1);
    const graceEnd = Math.floor(((h.T + 50) * 1000 + GRACE_MS) / 1000);
    const { target, body } = messages[0]!.payload;
    expect(target).toEqual({ userId: ada });
    expect(body.content).toContain(`<t:${graceEnd}:f>`);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.components[0].components[0]).toMatchObject({ type: 2, custom_id: 'billing' });
    expect(JSON.stringify(body)).not.toMatch(/https?:\/\//); // no portal URL that could go stale
    if (discordContractAvailable()) {
      const verdict = (await loadDiscordContract()).validate({ method: 'POST', path: `/api/v10/channels/${SAMPLE.channels.general}/messages`, body });
      expect(verdict.errors).toEqual([]);
    }
  });

  it('trial_will_end DMs the trial end with the billing button', async () => {
    const sub = h.subscriptionOf(ada, { status: 'trialing', trialEnd: h.T + 3 * DAY });
    await h.settle('customer.subscription.trial_will_end', sub(), 1);
    const [dm] = await h.messages();
    expect(dm?.payload.body.content).toContain(`<t:${h.T + 3 * DAY}:f>`);
    expect(dm?.payload.body.components[0].components[0].custom_id).toBe('billing');
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'add' });
  });

  it('an unknown event type is recorded, marked processed, and changes nothing', async () => {
    const event = await h.settle('customer.tax_id.created', { id: 'txi_123', object: 'tax_id' }, 1);
    expect((await h.event(event.id)).processed_at).toBe(h.nowMs);
    expect(await h.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('entitlements').selectAll().execute()).toEqual([]);
  });

  it('a failing handler leaves the event unprocessed with its error, and a later drain (after backoff) succeeds', async () => {
    // invoice.paid re-fetches its subscription; the emulator does not know it yet, so Stripe answers 404.
    const { subscription } = h.rig.stripe.seedSubscription({ priceId: SANDBOX_PRICES.pro, metadata: { discord_user_id: ada } });
    h.rig.stripe.store.subscriptions.delete(subscription.id);
    const invoice = fixtureObject('invoice', { id: fakeId('in'), customer: subscription.customer, status: 'paid', parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: subscription.id, metadata: null } } });
    const event = await h.settle('invoice.paid', invoice, 1);
    const failed = await h.event(event.id);
    expect(failed).toMatchObject({ processed_at: null, attempts: 1 });
    expect(failed.last_error).toMatch(/No such subscription/);
    expect(failed.last_error).not.toContain(TEST_SECRETS.STRIPE_SECRET_KEY);
    h.rig.stripe.store.subscriptions.set(subscription.id, subscription);
    expect(await h.processor.drain()).toBe(0); // still backing off
    h.nowMs += retryDelayMs(1);
    expect(await h.processor.drain()).toBe(1);
    expect(await h.event(event.id)).toMatchObject({ processed_at: h.nowMs, attempts: 1 });
    expect(await h.intents(ada)).toEqual({ [PRO]: 'add' });
  });

  it('a failure halfway through an event rolls all of it back; it is processed again later', async () => {
    // Another purchase already holds this PaymentIntent: inserting the lifetime row fails after the customer link was written.
    await h.db.insertInto('lifetime_purchases').values({ id: 'cs_other', discord_user_id: ada, stripe_customer_id: null, payment_intent_id: 'pi_clash', price_id: SANDBOX_PRICES.founder, status: 'paid', purchased_at: 1, state_at: 1 }).execute();
    const customer = fakeId('cus');
    const session = checkoutSession({ mode: 'payment', customer, client_reference_id: brian, payment_intent: 'pi_clash', metadata: { discord_user_id: brian, tier: 'Founder', price_id: SANDBOX_PRICES.founder } });
    const event = await h.settle('checkout.session.completed', session, 1);
    expect((await h.event(event.id)).last_error).toMatch(/UNIQUE/);
    expect(await h.db.selectFrom('customers').selectAll().execute()).toEqual([]);
    await h.db.deleteFrom('lifetime_purchases').execute();
    h.nowMs += retryDelayMs(1);
    expect(await h.processor.drain()).toBe(1);
    expect(await h.db.selectFrom('customers').select('discord_user_id').execute()).toEqual([{ discord_user_id: brian }]);
  });

  it('start() processes what was recorded before it ran (a crash after the 2xx), and kick() wakes it', async () => {
    const sub = h.subscriptionOf(ada);
    const first = await h.deliver('customer.subscription.created', sub(), { created: h.T + 1 });
    const processor = h.newProcessor();
    processor.start();
    try {
      await vi.waitFor(async () => expect((await h.event(first.id)).processed_at).not.toBeNull());
      const second = await h.deliver('customer.subscription.updated', sub({ priceIds: [SANDBOX_PRICES.pro] }), { created: h.T + 2 });
      processor.kick();
      await vi.waitFor(async () => expect((await h.event(second.id)).processed_at).not.toBeNull());
      expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'remove', [PRO]: 'add' });
    } finally {
      await processor.stop();
    }
  });

  function checkoutSession(over: Record<string, unknown>) {
    return fixtureObject('checkout.session', { id: fakeId('cs'), mode: 'subscription', status: 'complete', payment_status: 'paid', metadata: {}, ...over });
  }
});
