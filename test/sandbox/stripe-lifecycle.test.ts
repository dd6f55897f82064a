import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { startWebhookReceiver, stripeClient, type WebhookReceiver } from '../rigs/stripe.ts';

const KEY = 'sk_test_guildhall_emulator_key';
const WHSEC = 'whsec_guildhall_emulator_secret';
const PRICES = [
  { id: 'price_pro_monthly', productName: 'Pro', unitAmount: 1500, currency: 'usd', recurring: { interval: 'month' as const } },
  { id: 'price_plus_monthly', productName: 'Plus', unitAmount: 800, currency: 'usd', recurring: { interval: 'month' as const } },
];
// A fixed clock: Jan 31 exercises Stripe's end-of-month billing arithmetic.
const JAN_31 = Date.UTC(2026, 0, 31, 12) / 1000;

let emulator: StripeEmulator;
let receiver: WebhookReceiver;
let stripe: Stripe;

beforeEach(async () => {
  emulator = await startStripeEmulator({ secretKey: KEY, webhookSecret: WHSEC, prices: PRICES, clock: () => JAN_31, retryDelaysMs: [50, 100] });
  receiver = await startWebhookReceiver(WHSEC);
  emulator.setWebhookUrl(receiver.url);
  stripe = stripeClient(emulator.apiUrl, KEY);
});

afterEach(async () => {
  await emulator.close();
  await receiver.close();
});

async function subscribed(discordId = '111'): Promise<Stripe.Subscription> {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription', line_items: [{ price: 'price_pro_monthly', quantity: 1 }], subscription_data: { metadata: { discord_user_id: discordId } },
  });
  const { subscription } = await emulator.completeCheckout(session.id);
  receiver.events.length = 0;
  if (!subscription) throw new Error('checkout produced no subscription');
  return subscription;
}

const types = (): string[] => receiver.events.map((e) => e.type);

describe('subscription lifecycle drivers', () => {
  it('renews into the next calendar period with a paid cycle invoice', async () => {
    const sub = await subscribed();
    expect(sub.items.data[0]?.current_period_end).toBe(Date.UTC(2026, 1, 28, 12) / 1000);
    const { subscription, invoice } = await emulator.renewSubscription(sub.id);
    expect(types()).toEqual(['customer.subscription.updated', 'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    expect(subscription.items.data[0]?.current_period_end).toBe(Date.UTC(2026, 2, 31, 12) / 1000);
    expect(invoice).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: 1500 });
  });

  it('turns past_due on a failed renewal, then active again when the retry succeeds', async () => {
    const sub = await subscribed();
    const failed = await emulator.failPayment(sub.id);
    expect(failed.subscription.status).toBe('past_due');
    expect(types()).toEqual(['customer.subscription.updated', 'invoice.created', 'invoice.finalized', 'invoice.payment_failed', 'customer.subscription.updated']);
    const last = receiver.events.at(-1);
    expect(last?.data.previous_attributes).toEqual({ status: 'active' });
    expect(failed.invoice).toMatchObject({ status: 'open', attempt_count: 1 });
    receiver.events.length = 0;
    const recovered = await emulator.renewSubscription(sub.id);
    expect(recovered.invoice?.id).toBe(failed.invoice?.id);
    expect(types()).toEqual(['invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.updated']);
    expect(recovered.subscription.status).toBe('active');
  });

  it('cancels at the period end, then ends the subscription when the period runs out', async () => {
    const sub = await subscribed();
    const pending = await emulator.cancelSubscription(sub.id, { atPeriodEnd: true });
    expect(pending.subscription).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: sub.items.data[0]?.current_period_end });
    expect(receiver.events[0]?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
    const ended = await emulator.renewSubscription(sub.id);
    expect(ended.subscription).toMatchObject({ status: 'canceled', ended_at: sub.items.data[0]?.current_period_end });
    expect(types()).toEqual(['customer.subscription.updated', 'customer.subscription.deleted']);
  });

  it('applies API updates and cancellations with the events and previous_attributes Stripe sends', async () => {
    const sub = await subscribed();
    const itemId = sub.items.data[0]?.id ?? '';
    const upgraded = await stripe.subscriptions.update(sub.id, { items: [{ id: itemId, price: 'price_plus_monthly' }], cancel_at_period_end: true });
    expect(upgraded.items.data[0]).toMatchObject({ id: itemId, price: { id: 'price_plus_monthly' } });
    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe('canceled');
    await emulator.settle();
    expect(types()).toEqual(['customer.subscription.updated', 'customer.subscription.deleted']);
    const update = receiver.events[0];
    expect(Object.keys(update?.data.previous_attributes ?? {}).sort()).toEqual(['cancel_at', 'cancel_at_period_end', 'canceled_at', 'cancellation_details', 'items']);
    expect(update?.request?.id).toMatch(/^req_/);
    await expect(stripe.subscriptions.cancel(sub.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('lists events for reconciliation, with type wildcards', async () => {
    const sub = await subscribed();
    await emulator.renewSubscription(sub.id);
    const subEvents = await stripe.events.list({ type: 'customer.subscription.*', limit: 100 });
    expect(subEvents.data.map((e) => e.type)).toEqual(['customer.subscription.updated', 'customer.subscription.created']);
    const one = await stripe.events.retrieve(subEvents.data[0]?.id ?? '');
    expect(one.id).toBe(subEvents.data[0]?.id);
  });
});

describe('billing portal', () => {
  it('creates a portal session whose page cancels at the period end', async () => {
    const sub = await subscribed();
    const portal = await stripe.billingPortal.sessions.create({ customer: String(sub.customer), return_url: 'https://guildhall.test/back' });
    expect(portal.url).toBe(`${emulator.apiUrl}/portal/${portal.id}`);
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain('Cancel plan');
    expect(page).toContain('Switch to Plus');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await fetch(`${portal.url}/switch/${sub.id}`, { method: 'POST', redirect: 'manual', headers: form, body: 'price=price_plus_monthly' });
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe('price_plus_monthly');
    const res = await fetch(`${portal.url}/cancel/${sub.id}`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(true);
    await expect(stripe.billingPortal.sessions.create({ customer: 'cus_nobody' })).rejects.toMatchObject({ code: 'resource_missing', param: 'customer' });
  });
});

describe('webhook delivery', () => {
  it('retries after a 500 from the receiver with the same event and a fresh signature', async () => {
    receiver.respond = (_event, attempt) => (attempt === 1 ? 500 : 200);
    const customer = await stripe.customers.create({ email: 'retry@example.test' });
    await emulator.settle();
    expect(receiver.arrivals.map((a) => a.status)).toEqual([500, 200]);
    expect(receiver.events.map((e) => e.data.object)).toEqual([expect.objectContaining({ id: customer.id })]);
    expect(emulator.deliveries).toEqual([expect.objectContaining({ type: 'customer.created', status: 'delivered', attempts: 2, lastStatus: 200 })]);
  });

  it('gives up after the configured retries when the endpoint is unreachable', async () => {
    await receiver.close();
    const { delivery } = await emulator.sendEvent('customer.updated', { id: 'cus_x', object: 'customer' });
    await emulator.settle();
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, lastStatus: null });
    expect(delivery?.lastError).toBeTruthy();
    receiver = await startWebhookReceiver(WHSEC);
  });

  it('redelivers an event unchanged and sends arbitrary events for out-of-order tests', async () => {
    const sub = await subscribed();
    const created = emulator.events.find((e) => e.type === 'customer.subscription.created');
    await emulator.redeliver(created?.id ?? '');
    await emulator.redeliver(created?.id ?? '');
    expect(receiver.events.map((e) => e.id)).toEqual([created?.id, created?.id]);
    expect(receiver.events[0]).toEqual(receiver.events[1]);
    const stale = { ...sub, status: 'past_due' as const };
    const { event } = await emulator.sendEvent('customer.subscription.updated', stale, { status: 'active' });
    expect(receiver.events.at(-1)).toMatchObject({ id: event.id, data: { object: { status: 'past_due' }, previous_attributes: { status: 'active' } } });
  });

  it('only lists events while no endpoint is set', async () => {
    emulator.setWebhookUrl(undefined);
    await stripe.customers.create({ email: 'quiet@example.test' });
    await emulator.settle();
    expect(receiver.arrivals).toEqual([]);
    expect((await stripe.events.list()).data.map((e) => e.type)).toEqual(['customer.created']);
    expect(emulator.events[0]?.pending_webhooks).toBe(0);
  });
});
