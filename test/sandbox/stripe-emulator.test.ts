import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeForm } from '../../src/sandbox/stripe/form.ts';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { startWebhookReceiver, stripeClient, type WebhookReceiver } from '../rigs/stripe.ts';

const KEY = 'sk_test_guildhall_emulator_key';
const WHSEC = 'whsec_guildhall_emulator_secret';
const PRICES = [
  { id: 'price_pro_monthly', productName: 'Pro', unitAmount: 1500, currency: 'usd', recurring: { interval: 'month' as const } },
  { id: 'price_plus_monthly', productName: 'Plus', unitAmount: 800, currency: 'usd', recurring: { interval: 'month' as const } },
  { id: 'price_lifetime', productName: 'Lifetime', unitAmount: 20000, currency: 'usd', recurring: null },
];

let emulator: StripeEmulator;
let receiver: WebhookReceiver;
let stripe: Stripe;

beforeEach(async () => {
  emulator = await startStripeEmulator({ secretKey: KEY, webhookSecret: WHSEC, prices: PRICES, retryDelaysMs: [50, 100] });
  receiver = await startWebhookReceiver(WHSEC);
  emulator.setWebhookUrl(receiver.url);
  stripe = stripeClient(emulator.apiUrl, KEY);
});

afterEach(async () => {
  await emulator.close();
  await receiver.close();
});

function joinSession(discordId: string, price = 'price_pro_monthly'): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price, quantity: 1 }],
    client_reference_id: discordId,
    metadata: { discord_user_id: discordId },
    subscription_data: { metadata: { discord_user_id: discordId } },
    allow_promotion_codes: true,
    success_url: 'https://guildhall.test/joined?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://guildhall.test/cancelled',
  });
}

describe('checkout in subscription mode', () => {
  it('creates a session through stripe-node and delivers signed events in order when it is paid', async () => {
    const session = await joinSession('111');
    expect(session.url).toBe(`${emulator.apiUrl}/checkout/${session.id}`);
    expect(session.status).toBe('open');
    const sent = emulator.requests.find((r) => r.path === '/v1/checkout/sessions');
    expect(sent?.body).toMatchObject({ metadata: { discord_user_id: '111' }, subscription_data: { metadata: { discord_user_id: '111' } }, line_items: [{ price: 'price_pro_monthly' }] });

    const result = await emulator.completeCheckout(session.id);
    expect(receiver.events.map((e) => e.type)).toEqual([
      'customer.created', 'checkout.session.completed', 'customer.subscription.created',
      'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded',
    ]);
    const completed = receiver.events[1]?.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ client_reference_id: '111', status: 'complete', payment_status: 'paid', subscription: result.subscription?.id, customer: result.customer?.id });
    expect(receiver.events.every((e) => e.api_version === Stripe.API_VERSION)).toBe(true);

    const sub = await stripe.subscriptions.retrieve(result.subscription?.id ?? '');
    expect(sub.metadata).toEqual({ discord_user_id: '111' });
    expect(sub.status).toBe('active');
    const item = sub.items.data[0];
    expect(item?.price.id).toBe('price_pro_monthly');
    expect(item?.current_period_end).toBeGreaterThan(item?.current_period_start ?? Infinity);
    expect('current_period_end' in sub).toBe(false);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data[0]?.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(invoices.data[0]?.status).toBe('paid');
  });

  it('serves a hosted page whose Pay button completes the checkout and redirects to success_url', async () => {
    const session = await joinSession('222');
    const page = await fetch(session.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pay');
    const paid = await fetch(`${session.url}/pay`, { method: 'POST', redirect: 'manual', body: 'email=member%40example.test', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://guildhall.test/joined?session=${session.id}`);
    const after = await stripe.checkout.sessions.retrieve(session.id);
    expect(after.status).toBe('complete');
    expect(after.customer_details?.email).toBe('member@example.test');
    expect(receiver.events.map((e) => e.type)).toContain('checkout.session.completed');
  });

  it('rejects what Stripe rejects, with the same error classes', async () => {
    const wrongMode = stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_lifetime', quantity: 1 }] });
    await expect(wrongMode).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'line_items', statusCode: 400 });
    const unknownPrice = stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_nope', quantity: 1 }] });
    await expect(unknownPrice).rejects.toMatchObject({ code: 'resource_missing', param: 'line_items[0][price]' });
    await expect(stripe.subscriptions.retrieve('sub_missing')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', statusCode: 404 });
    const intruder = stripeClient(emulator.apiUrl, 'sk_test_wrong_key_123456');
    await expect(intruder.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
});

describe('trials and expansion', () => {
  it('starts a trial with a free first invoice and the billing anchor at the trial end', async () => {
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_pro_monthly', quantity: 1 }], subscription_data: { trial_period_days: 7 } });
    const { subscription, invoice, session: paid } = await emulator.completeCheckout(session.id);
    expect(paid.payment_status).toBe('no_payment_required');
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: subscription?.items.data[0]?.current_period_end, billing_cycle_anchor: subscription?.trial_end });
    expect(invoice).toMatchObject({ amount_paid: 0, total: 0, status: 'paid' });
  });

  it('expands references on retrieve and rejects paths that cannot be expanded', async () => {
    const session = await joinSession('444');
    const { subscription } = await emulator.completeCheckout(session.id);
    const sub = await stripe.subscriptions.retrieve(subscription?.id ?? '', { expand: ['customer', 'latest_invoice', 'items.data.price.product'] });
    expect((sub.customer as Stripe.Customer).object).toBe('customer');
    expect((sub.latest_invoice as Stripe.Invoice).object).toBe('invoice');
    expect((sub.items.data[0]?.price.product as Stripe.Product).name).toBe('Pro');
    await expect(stripe.subscriptions.retrieve(subscription?.id ?? '', { expand: ['status'] })).rejects.toMatchObject({ statusCode: 400, param: 'expand' });
  });

  it('decodes bracketed form bodies the way Stripe reads them', () => {
    expect(decodeForm('line_items[0][price]=p1&line_items[0][quantity]=2&line_items[1][price]=p2&metadata[discord_user_id]=1&expand[]=a&expand[]=b.c&note=a%20b+c')).toEqual({
      line_items: [{ price: 'p1', quantity: '2' }, { price: 'p2' }],
      metadata: { discord_user_id: '1' },
      expand: ['a', 'b.c'],
      note: 'a b c',
    });
  });
});

describe('one-time payments (lifetime)', () => {
  it('pays, refunds and disputes with the events Stripe sends', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment', customer_creation: 'always', line_items: [{ price: 'price_lifetime', quantity: 1 }],
      client_reference_id: '333', metadata: { discord_user_id: '333' }, payment_intent_data: { metadata: { discord_user_id: '333' } },
    });
    const { paymentIntent, customer } = await emulator.completeCheckout(session.id);
    expect(customer?.id).toMatch(/^cus_/);
    expect(paymentIntent?.metadata).toEqual({ discord_user_id: '333' });
    expect(receiver.events.map((e) => e.type)).toEqual(['customer.created', 'checkout.session.completed', 'charge.succeeded', 'payment_intent.succeeded']);

    const refund = await stripe.refunds.create({ payment_intent: paymentIntent?.id ?? '', amount: 5000 });
    expect(refund).toMatchObject({ amount: 5000, status: 'succeeded', payment_intent: paymentIntent?.id });
    await emulator.settle();
    await emulator.disputePayment(paymentIntent?.id ?? '');
    const types = receiver.events.map((e) => e.type);
    expect(types.slice(4)).toEqual(['charge.refunded', 'refund.created', 'charge.dispute.created']);
    const refunded = receiver.events[4]?.data.object as Stripe.Charge;
    expect(refunded).toMatchObject({ amount_refunded: 5000, refunded: false, payment_intent: paymentIntent?.id });
  });

  it('creates no customer for a guest payment, as Checkout does by default', async () => {
    const session = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_lifetime', quantity: 1 }] });
    const result = await emulator.completeCheckout(session.id, { email: 'guest@example.test' });
    expect(result.customer).toBeNull();
    expect(result.session.customer_details?.email).toBe('guest@example.test');
    expect(receiver.events.map((e) => e.type)).not.toContain('customer.created');
  });
});

describe('lists and idempotency', () => {
  it('auto-paginates subscriptions newest first, two per page', async () => {
    const seeded = Array.from({ length: 5 }, () => emulator.seedSubscription({ priceId: 'price_pro_monthly' }).subscription.id);
    const seen: string[] = [];
    for await (const sub of stripe.subscriptions.list({ limit: 2 })) seen.push(sub.id);
    expect(seen).toEqual([...seeded].reverse());
    const pages = emulator.requests.filter((r) => r.path === '/v1/subscriptions');
    expect(pages.map((r) => r.query.starting_after ?? null)).toEqual([null, seeded[3], seeded[1]]);

    const before = await stripe.subscriptions.list({ limit: 2, ending_before: seeded[1] });
    expect(before.data.map((s) => s.id)).toEqual([seeded[3], seeded[2]]);
    expect(before.has_more).toBe(true);
  });

  it('filters by status the way Stripe does (canceled only under status=all or canceled)', async () => {
    const live = emulator.seedSubscription({ priceId: 'price_pro_monthly' }).subscription;
    const gone = emulator.seedSubscription({ priceId: 'price_plus_monthly', status: 'canceled' }).subscription;
    expect((await stripe.subscriptions.list()).data.map((s) => s.id)).toEqual([live.id]);
    expect((await stripe.subscriptions.list({ status: 'all' })).data.map((s) => s.id)).toEqual([gone.id, live.id]);
    expect((await stripe.subscriptions.list({ status: 'all', price: 'price_plus_monthly' })).data.map((s) => s.id)).toEqual([gone.id]);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with other parameters', async () => {
    const first = await stripe.customers.create({ email: 'a@example.test' }, { idempotencyKey: 'join-111' });
    const again = await stripe.customers.create({ email: 'a@example.test' }, { idempotencyKey: 'join-111' });
    expect(again.id).toBe(first.id);
    expect(emulator.store.customers.size).toBe(1);
    await expect(stripe.customers.create({ email: 'b@example.test' }, { idempotencyKey: 'join-111' })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    const found = await stripe.customers.list({ email: 'a@example.test' });
    expect(found.data.map((c) => c.id)).toEqual([first.id]);
  });

  it('expands data.product on prices', async () => {
    const prices = await stripe.prices.list({ expand: ['data.product'] });
    const pro = prices.data.find((p) => p.id === 'price_pro_monthly');
    expect((pro?.product as Stripe.Product).name).toBe('Pro');
    const plain = await stripe.prices.retrieve('price_lifetime');
    expect(plain).toMatchObject({ type: 'one_time', recurring: null, unit_amount: 20000 });
    expect(typeof plain.product).toBe('string');
  });
});
