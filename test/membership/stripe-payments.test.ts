import { expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/fixtures.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { fakeId, fixtureObject, STRIPE_FIXTURES } from '../rigs/stripe.ts';
import { FOUNDER, MembershipHarness, SUPPORTER } from './membership-harness.ts';

const { ada, brian } = SAMPLE.users;

describeWithShared('lifetime purchases, refunds and disputes (the README policy)', STRIPE_FIXTURES, () => {
  const h = MembershipHarness.use();

  /** A Founder (lifetime) purchase through the emulator's Checkout, as /join creates it. */
  async function buyLifetime(userId: string) {
    const session = await h.rig.app.deps.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: SANDBOX_PRICES.founder, quantity: 1 }],
      client_reference_id: userId,
      metadata: { discord_user_id: userId, tier: 'Founder', price_id: SANDBOX_PRICES.founder },
      customer_creation: 'always',
      success_url: 'https://example.test/ok',
      cancel_url: 'https://example.test/cancel',
    });
    const paid = await h.rig.stripe.completeCheckout(session.id);
    await h.processor.drain();
    return { sessionId: session.id, paymentIntent: paid.paymentIntent!.id, customer: paid.customer!.id };
  }

  const purchase = (id: string) => h.db.selectFrom('lifetime_purchases').select(['status', 'discord_user_id', 'payment_intent_id']).where('id', '=', id).executeTakeFirst();

  it('a lifetime purchase gives the role; a partial refund keeps it; the full refund revokes it', async () => {
    const bought = await buyLifetime(brian);
    expect(await purchase(bought.sessionId)).toEqual({ status: 'paid', discord_user_id: brian, payment_intent_id: bought.paymentIntent });
    expect(await h.intents(brian)).toEqual({ [FOUNDER]: 'add' });

    await h.rig.stripe.refundPayment(bought.paymentIntent, { amount: 1000 });
    await h.processor.drain();
    expect((await purchase(bought.sessionId))?.status).toBe('paid');
    expect(await h.intents(brian)).toEqual({ [FOUNDER]: 'add' });

    await h.rig.stripe.refundPayment(bought.paymentIntent);
    await h.processor.drain();
    expect((await purchase(bought.sessionId))?.status).toBe('refunded');
    expect(await h.intents(brian)).toEqual({ [FOUNDER]: 'remove' });
  });

  it('a disputed lifetime purchase loses its access and alerts the owners once, without a ping', async () => {
    const bought = await buyLifetime(brian);
    const disputed = await h.rig.stripe.disputePayment(bought.paymentIntent);
    await h.processor.drain();
    expect((await purchase(bought.sessionId))?.status).toBe('disputed');
    expect(await h.intents(brian)).toEqual({ [FOUNDER]: 'remove' });
    const alerts = await h.messages();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.payload.target).toEqual({ channelId: SAMPLE.channels.owners });
    expect(alerts[0]!.payload.body.content).toContain(`<@${brian}>`);
    expect(alerts[0]!.payload.body.content).toContain(disputed.dispute.id);
    expect(alerts[0]!.payload.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('a refund recorded before its checkout still counts when the checkout is processed', async () => {
    const pi = fakeId('pi');
    await h.settle('charge.refunded', fixtureObject('charge', { id: fakeId('ch'), payment_intent: pi, amount: 30000, amount_refunded: 30000, refunded: true }), 20);
    const session = fixtureObject('checkout.session', {
      id: fakeId('cs'), mode: 'payment', status: 'complete', payment_status: 'paid', customer: null, payment_intent: pi,
      client_reference_id: ada, metadata: { discord_user_id: ada, tier: 'Founder', price_id: SANDBOX_PRICES.founder },
    });
    await h.settle('checkout.session.completed', session, 10);
    expect(await h.db.selectFrom('lifetime_purchases').select('status').execute()).toEqual([{ status: 'refunded' }]);
    expect(await h.intents(ada)).toEqual({});
    expect(await h.entitlement(ada)).toMatchObject({ tier_name: null });
  });

  it('a payment-mode checkout for a price of no lifetime tier grants nothing', async () => {
    const session = fixtureObject('checkout.session', {
      id: fakeId('cs'), mode: 'payment', status: 'complete', payment_status: 'paid', customer: null, payment_intent: fakeId('pi'),
      client_reference_id: ada, metadata: { discord_user_id: ada, tier: 'Pro', price_id: SANDBOX_PRICES.pro },
    });
    await h.settle('checkout.session.completed', session, 1);
    expect(await h.db.selectFrom('lifetime_purchases').selectAll().execute()).toEqual([]);
    expect(await h.intents(ada)).toEqual({});
  });

  it('a refund or dispute of a subscription payment keeps access; the dispute alerts the owners naming the member', async () => {
    const sub = h.subscriptionOf(ada);
    await h.settle('checkout.session.completed', fixtureObject('checkout.session', { id: fakeId('cs'), mode: 'subscription', status: 'complete', payment_status: 'paid', customer: sub.customer, client_reference_id: ada, metadata: { discord_user_id: ada } }), 1);
    await h.settle('customer.subscription.created', sub(), 2);
    // The subscription's charge, as Stripe holds it: the dispute names only the charge.
    const charge = fixtureObject<any>('charge', { id: fakeId('ch'), customer: sub.customer, payment_intent: fakeId('pi'), amount: 500, amount_refunded: 500, refunded: true });
    h.rig.stripe.store.charges.set(charge.id, charge);
    await h.settle('charge.refunded', charge, 3);
    const dispute = fixtureObject('dispute', { id: fakeId('dp'), charge: charge.id, payment_intent: charge.payment_intent, amount: 500, currency: 'usd', reason: 'fraudulent' });
    const event = await h.settle('charge.dispute.created', dispute, 4);
    await h.deliver(event.type, dispute, { id: event.id, created: event.created });
    await h.processor.drain();
    expect(await h.intents(ada)).toEqual({ [SUPPORTER]: 'add' });
    const alerts = await h.messages();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ dedupe_key: `alert:dispute:${dispute.id}`, payload: { target: { channelId: SAMPLE.channels.owners } } });
    expect(alerts[0]!.payload.body.content).toContain(`<@${ada}>`);
    expect(alerts[0]!.payload.body.content).toMatch(/access is unchanged/);
  });
});
