import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { STRIPE_FIXTURES, loadStripeFixtures, startWebhookReceiver, stripeClient, type WebhookReceiver } from '../rigs/stripe.ts';

/**
 * The emulator builds its own objects (a user's clone has no ../shared), typed against stripe-node's
 * types for the pinned version. Here every key of Stripe's fixture objects must also appear in the
 * emulator's, at every depth where both sides hold an object, so a bot tested against the emulator
 * reads the same fields it will read in production.
 */

// Keys the fixture still carries but the pinned API version no longer returns (changelog 2025-03-31.basil:
// an invoice names its subscription under parent.subscription_details).
const REMOVED_IN_PINNED_VERSION = new Set(['invoice.subscription']);
// Free-form maps: their keys are data, not shape. An event's data.object is checked as its own resource.
const FREE_FORM = new Set(['metadata', 'previous_attributes']);
const OWN_RESOURCE = new Set(['event.data.object']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function missingKeys(fixture: unknown, actual: unknown, path: string, out: string[] = []): string[] {
  if (Array.isArray(fixture) && Array.isArray(actual)) {
    if (fixture.length > 0 && actual.length > 0) missingKeys(fixture[0], actual[0], `${path}[]`, out);
    return out;
  }
  if (!isObject(fixture) || !isObject(actual)) return out;
  for (const key of Object.keys(fixture)) {
    const here = `${path}.${key}`;
    if (REMOVED_IN_PINNED_VERSION.has(here)) continue;
    if (!(key in actual)) out.push(here);
    else if (!FREE_FORM.has(key) && !OWN_RESOURCE.has(here)) missingKeys(fixture[key], actual[key], here, out);
  }
  return out;
}

const KEY = 'sk_test_shapes';
const WHSEC = 'whsec_shapes';
let emulator: StripeEmulator;
let receiver: WebhookReceiver;
const objects = new Map<string, unknown>();

describeWithShared('stripe emulator objects match the fixtures of the pinned API version', STRIPE_FIXTURES, () => {
  beforeAll(async () => {
    emulator = await startStripeEmulator({
      secretKey: KEY,
      webhookSecret: WHSEC,
      prices: [
        { id: 'price_pro', productName: 'Pro', unitAmount: 1500, currency: 'usd', recurring: { interval: 'month' } },
        { id: 'price_life', productName: 'Lifetime', unitAmount: 9900, currency: 'usd' },
      ],
    });
    receiver = await startWebhookReceiver(WHSEC);
    emulator.setWebhookUrl(receiver.url);
    const stripe = stripeClient(emulator.apiUrl, KEY);
    const sub = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_pro', quantity: 1 }] });
    const paid = await emulator.completeCheckout(sub.id);
    const once = await stripe.checkout.sessions.create({ mode: 'payment', customer_creation: 'always', line_items: [{ price: 'price_life', quantity: 1 }] });
    const bought = await emulator.completeCheckout(once.id);
    const refund = await emulator.refundPayment(bought.paymentIntent?.id ?? '', { amount: 100 });
    const dispute = await emulator.disputePayment(bought.paymentIntent?.id ?? '');
    const subscription = await stripe.subscriptions.retrieve(paid.subscription?.id ?? '');
    const invoice = await stripe.invoices.retrieve(paid.invoice?.id ?? '');
    objects.set('subscription', subscription);
    objects.set('subscription_item', subscription.items.data[0]);
    objects.set('invoice', invoice);
    objects.set('line_item', invoice.lines.data[0]);
    objects.set('checkout.session', await stripe.checkout.sessions.retrieve(sub.id));
    objects.set('customer', await stripe.customers.retrieve(paid.customer?.id ?? ''));
    objects.set('price', await stripe.prices.retrieve('price_pro'));
    objects.set('product', await stripe.products.retrieve(String(subscription.items.data[0]?.price.product)));
    objects.set('billing_portal.session', await stripe.billingPortal.sessions.create({ customer: paid.customer?.id ?? '' }));
    objects.set('event', receiver.events[0]);
    objects.set('payment_intent', bought.paymentIntent);
    objects.set('charge', refund.charge);
    objects.set('refund', refund.refund);
    objects.set('dispute', dispute.dispute);
  });

  afterAll(async () => {
    await emulator?.close();
    await receiver?.close();
  });

  const names = ['subscription', 'subscription_item', 'invoice', 'line_item', 'checkout.session', 'customer', 'price', 'product', 'billing_portal.session', 'event', 'payment_intent', 'charge', 'refund', 'dispute'];
  it.each(names)('%s has every key the fixture has', (name) => {
    const fixture = loadStripeFixtures()[name];
    const actual = objects.get(name);
    expect(actual, `the emulator produced no ${name}`).toBeDefined();
    expect(missingKeys(fixture, actual, name)).toEqual([]);
  });

  it('keeps the billing period on subscription items, as the fixture does', () => {
    const fixture = loadStripeFixtures().subscription ?? {};
    expect('current_period_end' in fixture).toBe(false);
    expect('current_period_end' in (objects.get('subscription') as object)).toBe(false);
    expect(objects.get('subscription_item')).toHaveProperty('current_period_end');
  });
});
