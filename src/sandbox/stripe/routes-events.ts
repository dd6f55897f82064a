import type Stripe from 'stripe';
import { parameterInvalid, parameterMissing, referencedMissing, resourceMissing } from './errors.ts';
import { list, str } from './form.ts';
import { chargeFor, refundCharge } from './flow-payments.ts';
import { matchesCreated, paginate } from './list.ts';
import { route, type Route } from './router.ts';
import type { StripeStore } from './store.ts';

/** `customer.subscription.*` matches every type under that prefix, as on Stripe. */
function typeMatcher(type: string | undefined, types: string[]): (t: string) => boolean {
  const patterns = type !== undefined ? [type] : types;
  if (patterns.length === 0) return () => true;
  return (t) => patterns.some((p) => (p.endsWith('.*') ? t.startsWith(p.slice(0, -1)) : t === p));
}

function getter<T>(kind: string, map: (s: StripeStore) => Map<string, T>): Route['handler'] {
  return ({ core, params: [id = ''] }) => {
    const found = map(core.store).get(id);
    if (!found) throw resourceMissing(kind, id);
    return found;
  };
}

export const eventRoutes: Route[] = [
  route('GET', '/v1/events', ({ core, input }) => {
    const types = list(input.types).filter((t): t is string => typeof t === 'string');
    const type = str(input.type);
    if (type !== undefined && types.length > 0) throw parameterInvalid('types', 'You may only specify one of these parameters: type, types.');
    const matches = typeMatcher(type, types);
    return paginate(core.store.events, (e) => matches(e.type) && matchesCreated(e.created, input.created), input, '/v1/events', 'event');
  }),
  route('GET', '/v1/events/:id', getter('event', (s) => s.events)),
  route('GET', '/v1/charges/:id', getter('charge', (s) => s.charges)),
  route('GET', '/v1/payment_intents/:id', getter('payment_intent', (s) => s.paymentIntents)),
  route('GET', '/v1/refunds/:id', getter('refund', (s) => s.refunds)),
  route('GET', '/v1/disputes/:id', getter('dispute', (s) => s.disputes)),
  route('POST', '/v1/refunds', ({ core, input, request }) => {
    const ref = str(input.payment_intent) ?? str(input.charge);
    if (!ref) throw parameterMissing('charge');
    const param = str(input.payment_intent) ? 'payment_intent' : 'charge';
    const charge = chargeFor(core, ref);
    if (!charge) throw referencedMissing(param, ref, param);
    const remaining = charge.amount - charge.amount_refunded;
    const amount = str(input.amount) === undefined ? remaining : Number(str(input.amount));
    if (remaining <= 0) throw parameterInvalid(param, `Charge ${charge.id} has already been refunded.`);
    if (!Number.isInteger(amount) || amount <= 0 || amount > remaining) {
      throw parameterInvalid('amount', `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`);
    }
    const reason = str(input.reason) as Stripe.Refund.Reason | undefined;
    return refundCharge(core, charge, { amount, reason: reason ?? null }, request).refund;
  }),
];
