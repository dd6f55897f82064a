import type Stripe from 'stripe';
import { EmulatorCore, type Emitted, type RequestRef } from './core.ts';
import { buildDispute } from './objects-dispute.ts';
import { buildRefund } from './objects-payments.ts';
import { clone } from './store.ts';

/** After-sale events for one-time payments (lifetime tiers): refunds and disputes. */

export interface PaymentRef {
  /** A PaymentIntent (`pi_…`) or Charge (`ch_…`) id. */
  payment: string;
}

export function chargeFor(core: EmulatorCore, id: string): Stripe.Charge | undefined {
  if (id.startsWith('pi_')) {
    const pi = core.store.paymentIntents.get(id);
    return typeof pi?.latest_charge === 'string' ? core.store.charges.get(pi.latest_charge) : undefined;
  }
  return core.store.charges.get(id);
}

export interface RefundOptions {
  amount?: number;
  reason?: Stripe.Refund.Reason | null;
}

/** Creates a refund and sends charge.refunded then refund.created; without an amount the whole remainder is refunded. */
export function refundCharge(core: EmulatorCore, charge: Stripe.Charge, opts: RefundOptions, request?: RequestRef): { refund: Stripe.Refund; emitted: Emitted[] } {
  const amount = opts.amount ?? charge.amount - charge.amount_refunded;
  const before = { amount_refunded: charge.amount_refunded, refunded: charge.refunded, refunds: clone(charge.refunds) };
  const refund = buildRefund(charge, amount, core.now(), opts.reason ?? null);
  core.store.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  charge.refunds?.data.unshift(clone(refund));
  const emitted = [core.emit('charge.refunded', charge, before, request), core.emit('refund.created', refund, undefined, request)];
  return { refund, emitted };
}

export async function refundPayment(core: EmulatorCore, payment: string, opts: RefundOptions = {}): Promise<{ refund: Stripe.Refund; charge: Stripe.Charge; events: { id: string; type: string }[] }> {
  const charge = chargeFor(core, payment);
  if (!charge) throw new Error(`No charge found for '${payment}'`);
  if (charge.refunded) throw new Error(`Charge ${charge.id} is already fully refunded.`);
  const { refund, emitted } = refundCharge(core, charge, opts);
  const events = await EmulatorCore.delivered(emitted);
  return { refund: clone(refund), charge: clone(charge), events: events.map((e) => ({ id: e.id, type: e.type })) };
}

/** The cardholder disputes the charge: charge.dispute.created. */
export async function disputePayment(core: EmulatorCore, payment: string, reason = 'fraudulent'): Promise<{ dispute: Stripe.Dispute; events: { id: string; type: string }[] }> {
  const charge = chargeFor(core, payment);
  if (!charge) throw new Error(`No charge found for '${payment}'`);
  const dispute = buildDispute(charge, core.now(), reason);
  core.store.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  const events = await EmulatorCore.delivered([core.emit('charge.dispute.created', dispute)]);
  return { dispute: clone(dispute), events: events.map((e) => ({ id: e.id, type: e.type })) };
}
