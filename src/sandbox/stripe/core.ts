import Stripe from 'stripe';
import { newId } from './ids.ts';
import { StripeStore, clone, type WireEvent } from './store.ts';
import type { Delivery, WebhookDispatcher } from './webhooks.ts';

export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export interface Emitted {
  event: WireEvent;
  delivered: Promise<Delivery | null>;
}

/** What routes, pages and scenario drivers share: the account, the clock and the event stream. */
export class EmulatorCore {
  readonly store = new StripeStore();
  baseUrl = '';

  constructor(
    private readonly clock: () => number,
    readonly webhooks: WebhookDispatcher,
    readonly log: (line: string) => void,
  ) {}

  now(): number {
    return Math.floor(this.clock());
  }

  /**
   * Records an event with a snapshot of the object as it is now, then queues its delivery.
   * Events caused by an API call name that request, as Stripe does; automatic ones carry nulls.
   */
  emit(type: string, object: { id: string; object: string }, previous?: Record<string, unknown>, request?: RequestRef): Emitted {
    const event: WireEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: this.now(),
      data: previous ? { object: clone(object), previous_attributes: clone(previous) } : { object: clone(object) },
      livemode: false,
      pending_webhooks: this.webhooks.url ? 1 : 0,
      request: request ?? { id: null, idempotency_key: null },
      type,
    };
    this.store.events.set(event.id, event);
    return { event, delivered: this.webhooks.enqueue(event) };
  }

  /** Resolves once every given event's first delivery attempt has an answer. */
  static async delivered(emitted: Emitted[]): Promise<WireEvent[]> {
    await Promise.all(emitted.map((e) => e.delivered));
    return emitted.map((e) => e.event);
  }
}
