import type { IncomingMessage } from 'node:http';
import Stripe from 'stripe';
import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import { BodyTooLargeError, readRawBody } from '../http/raw-body.ts';
import type { HttpReply } from '../http/server.ts';
import type { Logger } from '../logging/logger.ts';
import { createEventInbox } from './event-inbox.ts';

// Stripe's largest event payloads are well under this; anything bigger is not from Stripe.
export const WEBHOOK_BODY_LIMIT = 512 * 1024;

export interface StripeWebhookDeps {
  db: Db;
  stripe: Stripe;
  webhookSecret: string;
  logger: Logger;
  clock: Clock;
  /** Wakes the event processor once an event is durably recorded. */
  onRecorded?: () => void;
}

/**
 * POST /stripe/webhook. Verifies the signature on the raw bytes (default 300 s tolerance), then
 * records the event in `stripe_events` keyed by its id *before* answering 2xx. If recording fails
 * we answer 500 so Stripe retries; a redelivery of a recorded event is acknowledged and ignored.
 * The event processor (event-processor.ts) applies recorded events after the answer.
 */
export function stripeWebhookRoute(deps: StripeWebhookDeps) {
  const inbox = createEventInbox(deps.db);
  return async (req: IncomingMessage): Promise<HttpReply> => {
    const signature = req.headers['stripe-signature'];
    let raw: Buffer;
    try {
      raw = await readRawBody(req, WEBHOOK_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { status: 413, body: { error: `Payload larger than ${WEBHOOK_BODY_LIMIT} bytes.` } };
      throw error;
    }
    if (typeof signature !== 'string' || signature === '') {
      return { status: 400, body: { error: 'Missing Stripe-Signature header. Only Stripe may call this endpoint.' } };
    }
    let event: Stripe.Event;
    try {
      event = deps.stripe.webhooks.constructEvent(raw, signature, deps.webhookSecret);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'signature verification failed';
      deps.logger.warn({ reason }, 'rejected a Stripe webhook with a bad signature');
      return { status: 400, body: { error: `Webhook signature verification failed: ${reason}` } };
    }
    const { duplicate } = await inbox.record({
      id: event.id,
      type: event.type,
      created: event.created,
      livemode: event.livemode ? 1 : 0,
      payload: raw.toString('utf8'),
      received_at: deps.clock.now(),
      processed_at: null,
      last_error: null,
    });
    deps.logger.info({ eventId: event.id, type: event.type, duplicate }, 'stripe event recorded');
    if (!duplicate) deps.onRecorded?.();
    return { status: 200, body: { received: true, duplicate } };
  };
}
