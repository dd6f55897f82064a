import type Stripe from 'stripe';
import { parameterInvalid, parameterMissing, referencedMissing, resourceMissing } from './errors.ts';
import { bool, list, metadataParam, obj, str, type FormObject } from './form.ts';
import { matchesCreated, paginate } from './list.ts';
import { buildCheckoutSession, buildPortalSession } from './objects-checkout.ts';
import { route, type ApiContext, type Route } from './router.ts';

function urlParam(input: FormObject, name: string): string | null {
  const value = str(input[name]);
  if (value === undefined || value === '') return null;
  if (!URL.canParse(value)) throw parameterInvalid(name, `Not a valid URL: ${name}`);
  return value;
}

function lineItems(ctx: ApiContext, mode: string): { price: Stripe.Price; quantity: number }[] {
  const raw = list(ctx.input.line_items);
  if (raw.length === 0) throw parameterMissing('line_items');
  const items = raw.map((entry, i) => {
    const item = obj(entry) ?? {};
    const priceId = str(item.price);
    if (!priceId && item.price_data) throw parameterInvalid(`line_items[${i}][price_data]`, 'The sandbox supports only saved prices: pass line_items[][price], not price_data.');
    if (!priceId) throw parameterMissing(`line_items[${i}][price]`);
    const price = ctx.core.store.prices.get(priceId);
    if (!price) throw referencedMissing('price', priceId, `line_items[${i}][price]`);
    return { price, quantity: Number(str(item.quantity) ?? '1') };
  });
  const recurring = items.some((i) => i.price.type === 'recurring');
  if (mode === 'subscription' && !recurring) throw parameterInvalid('line_items', 'You must provide at least one recurring price in `subscription` mode when using prices.');
  if (mode === 'payment' && recurring) {
    throw parameterInvalid('line_items', 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.');
  }
  if (new Set(items.map((i) => i.price.currency)).size > 1) throw parameterInvalid('line_items', 'All prices on a Checkout Session must share one currency.');
  return items;
}

function createSession(ctx: ApiContext): Stripe.Checkout.Session {
  const { core, input } = ctx;
  const mode = str(input.mode);
  if (!mode) throw parameterMissing('mode');
  if (mode !== 'subscription' && mode !== 'payment') throw parameterInvalid('mode', `Invalid mode: the sandbox supports 'subscription' and 'payment', not '${mode}'.`);
  const customer = str(input.customer);
  if (customer && !core.store.customers.has(customer)) throw referencedMissing('customer', customer, 'customer');
  if (customer && str(input.customer_email)) throw parameterInvalid('customer_email', 'You may only specify one of these parameters: customer, customer_email.');
  const creation = str(input.customer_creation);
  if (creation && mode !== 'payment') throw parameterInvalid('customer_creation', '`customer_creation` can only be used in `payment` mode.');
  if (input.subscription_data && mode !== 'subscription') throw parameterInvalid('subscription_data', '`subscription_data` can only be used in `subscription` mode.');
  if (input.payment_intent_data && mode !== 'payment') throw parameterInvalid('payment_intent_data', '`payment_intent_data` can only be used in `payment` mode.');
  const items = lineItems(ctx, mode);
  const subscriptionData = obj(input.subscription_data) ?? {};
  const trial = str(subscriptionData.trial_period_days);
  const session = buildCheckoutSession({
    mode,
    baseUrl: core.baseUrl,
    created: core.now(),
    amountTotal: items.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * i.quantity, 0),
    currency: items[0]?.price.currency ?? 'usd',
    customer: customer ?? null,
    customerEmail: str(input.customer_email) ?? null,
    customerCreation: creation === 'always' || creation === 'if_required' ? creation : null,
    clientReferenceId: str(input.client_reference_id) ?? null,
    metadata: metadataParam(input.metadata, 'metadata'),
    allowPromotionCodes: bool(input.allow_promotion_codes) ?? null,
    successUrl: urlParam(input, 'success_url'),
    cancelUrl: urlParam(input, 'cancel_url'),
  });
  core.store.checkoutSessions.set(session.id, session);
  core.store.checkoutExtras.set(session.id, {
    lineItems: items,
    subscriptionMetadata: metadataParam(subscriptionData.metadata, 'subscription_data[metadata]'),
    trialPeriodDays: trial ? Number(trial) : null,
    paymentIntentMetadata: metadataParam(obj(input.payment_intent_data)?.metadata, 'payment_intent_data[metadata]'),
  });
  core.log(`checkout session ${session.id} created (${mode}, ${items.map((i) => i.price.id).join(', ')})`);
  return session;
}

function getSession(ctx: ApiContext): Stripe.Checkout.Session {
  const id = ctx.params[0] ?? '';
  const session = ctx.core.store.checkoutSessions.get(id);
  if (!session) throw resourceMissing('checkout.session', id);
  return session;
}

export const checkoutRoutes: Route[] = [
  route('POST', '/v1/checkout/sessions', createSession),
  route('GET', '/v1/checkout/sessions', ({ core, input }) => {
    const filters: [keyof Stripe.Checkout.Session, string | undefined][] = [
      ['customer', str(input.customer)], ['subscription', str(input.subscription)], ['payment_intent', str(input.payment_intent)], ['status', str(input.status)],
    ];
    return paginate(core.store.checkoutSessions, (s) => filters.every(([k, v]) => v === undefined || s[k] === v) && matchesCreated(s.created, input.created), input, '/v1/checkout/sessions', 'checkout.session');
  }),
  route('GET', '/v1/checkout/sessions/:id', getSession),
  route('POST', '/v1/checkout/sessions/:id/expire', (ctx) => {
    const session = getSession(ctx);
    if (session.status !== 'open') throw parameterInvalid('session', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    session.status = 'expired';
    session.url = null;
    ctx.core.emit('checkout.session.expired', session, undefined, ctx.request);
    return session;
  }),
  route('POST', '/v1/billing_portal/sessions', ({ core, input }) => {
    const customer = str(input.customer);
    if (!customer) throw parameterMissing('customer');
    if (!core.store.customers.has(customer)) throw referencedMissing('customer', customer, 'customer');
    const session = buildPortalSession({ customer, returnUrl: urlParam(input, 'return_url'), baseUrl: core.baseUrl, created: core.now() });
    core.store.portalSessions.set(session.id, session);
    return session;
  }),
];
