import type Stripe from 'stripe';
import { parameterInvalid, referencedMissing, resourceMissing } from './errors.ts';
import { bool, list, mergeMetadata, obj, str } from './form.ts';
import { cancelSubscription, updateSubscription, type SubscriptionPatch } from './flow-billing.ts';
import { matchesCreated, paginate } from './list.ts';
import { route, type ApiContext, type Route } from './router.ts';

const STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'];

function statusFilter(status: string | undefined): (s: Stripe.Subscription) => boolean {
  if (status !== undefined && !STATUSES.includes(status)) throw parameterInvalid('status', `Invalid status: must be one of ${STATUSES.join(', ')}`);
  // Without a status Stripe lists every subscription that has not been canceled.
  if (status === undefined) return (s) => s.status !== 'canceled';
  if (status === 'all') return () => true;
  if (status === 'ended') return (s) => s.status === 'canceled' || s.status === 'incomplete_expired';
  return (s) => s.status === status;
}

function getSubscription(ctx: ApiContext): Stripe.Subscription {
  const id = ctx.params[0] ?? '';
  const sub = ctx.core.store.subscriptions.get(id);
  if (!sub) throw resourceMissing('subscription', id);
  return sub;
}

function patchFrom(ctx: ApiContext, sub: Stripe.Subscription): SubscriptionPatch {
  const { input, core } = ctx;
  const patch: SubscriptionPatch = {};
  const cancel = bool(input.cancel_at_period_end);
  if (cancel !== undefined) patch.cancelAtPeriodEnd = cancel;
  if (input.metadata !== undefined) patch.metadata = mergeMetadata(sub.metadata, input.metadata);
  const item = obj(list(input.items)[0]);
  const priceId = item && str(item.price);
  if (priceId) {
    const price = core.store.prices.get(priceId);
    if (!price) throw referencedMissing('price', priceId, 'items[0][price]');
    if (price.type !== 'recurring') throw parameterInvalid('items[0][price]', `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`);
    const itemId = str(item.id);
    if (itemId && !sub.items.data.some((i) => i.id === itemId)) throw referencedMissing('subscription_item', itemId, 'items[0][id]');
    patch.price = { price, ...(itemId ? { item: itemId } : {}) };
  }
  return patch;
}

export const subscriptionRoutes: Route[] = [
  route('GET', '/v1/subscriptions', ({ core, input }) => {
    const customer = str(input.customer);
    const price = str(input.price);
    const byStatus = statusFilter(str(input.status));
    return paginate(
      core.store.subscriptions,
      (s) => byStatus(s) && (customer === undefined || s.customer === customer) && (price === undefined || s.items.data.some((i) => i.price.id === price)) && matchesCreated(s.created, input.created),
      input,
      '/v1/subscriptions',
      'subscription',
    );
  }),
  route('GET', '/v1/subscriptions/:id', getSubscription),
  route('POST', '/v1/subscriptions/:id', (ctx) => {
    const sub = getSubscription(ctx);
    if (sub.status === 'canceled') {
      throw parameterInvalid('subscription', 'A canceled subscription can only update its cancellation_details and metadata.');
    }
    updateSubscription(ctx.core, sub, patchFrom(ctx, sub), ctx.request);
    return sub;
  }),
  route('DELETE', '/v1/subscriptions/:id', async (ctx) => {
    const sub = getSubscription(ctx);
    if (sub.status === 'canceled') throw parameterInvalid('subscription', `Subscription '${sub.id}' is already canceled.`);
    // The API answers at once; delivery of customer.subscription.deleted proceeds in the background.
    void cancelSubscription(ctx.core, sub.id, {}, ctx.request).catch((err: unknown) => ctx.core.log(`cancel failed: ${String(err)}`));
    return sub;
  }),
  route('GET', '/v1/invoices', ({ core, input }) => {
    const subscription = str(input.subscription);
    const customer = str(input.customer);
    const status = str(input.status);
    return paginate(
      core.store.invoices,
      (i) =>
        (subscription === undefined || i.parent?.subscription_details?.subscription === subscription) &&
        (customer === undefined || i.customer === customer) &&
        (status === undefined || i.status === status) &&
        matchesCreated(i.created, input.created),
      input,
      '/v1/invoices',
      'invoice',
    );
  }),
  route('GET', '/v1/invoices/:id', ({ core, params: [id = ''] }) => {
    const invoice = core.store.invoices.get(id);
    if (!invoice) throw resourceMissing('invoice', id);
    return invoice;
  }),
];
