import Stripe from 'stripe';
import type { Logger } from '../logging/logger.ts';
import { UserError } from '../discord/user-error.ts';

/**
 * Runs a Stripe call for a member. A Stripe failure (down, refused key, unknown price) is logged
 * for the operator with Stripe's request id and becomes UserError('unavailable') for the member;
 * anything else is a bug and propagates unchanged.
 */
export async function forMember<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    logger.error({ err: { type: error.type, code: error.code, message: error.message, requestId: error.requestId }, what }, 'stripe call failed');
    throw new UserError('unavailable', 'Payments are not reachable right now; nothing was charged.');
  }
}
