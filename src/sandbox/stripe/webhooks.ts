import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import Stripe from 'stripe';
import type { WireEvent } from './store.ts';

export interface Delivery {
  eventId: string;
  type: string;
  /** pending: a retry is scheduled; delivered: a 2xx arrived; failed: retries ran out. */
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The receiver's last HTTP status, or null after a connection error. */
  lastStatus: number | null;
  lastError: string | null;
}

export interface WebhookOptions {
  secret: string;
  url: string | undefined;
  retryDelaysMs: number[];
  timeoutMs: number;
  logger: (line: string) => void;
}

function post(url: string, body: string, signature: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        // A fresh connection per attempt: pooled keep-alive sockets would hold the receiver's close() open.
        agent: false,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signature,
          connection: 'close',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Signed delivery with Stripe's semantics: each attempt carries the same raw body and a fresh
 * signature; a non-2xx or a connection error is retried with backoff. First attempts go out one
 * at a time in emission order; retries run in the background and may overtake later events.
 */
export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WebhookOptions) {}

  setUrl(url: string | undefined): void {
    this.options.url = url;
  }

  get url(): string | undefined {
    return this.options.url;
  }

  /** Queues the event; resolves once its first attempt has an answer, or at once with null when no endpoint is set (as on Stripe, such events are only listed). */
  enqueue(event: WireEvent): Promise<Delivery | null> {
    if (!this.options.url || this.closed) return Promise.resolve(null);
    const delivery: Delivery = { eventId: event.id, type: event.type, status: 'pending', attempts: 0, lastStatus: null, lastError: null };
    this.deliveries.push(delivery);
    const body = JSON.stringify(event);
    const first = this.chain.then(() => this.attempt(delivery, body));
    this.chain = first.catch(() => undefined);
    return this.track(first).then(() => delivery);
  }

  /** Resolves when no delivery has a retry pending. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      await Promise.race([...[...this.inFlight].map((p) => p.catch(() => undefined)), new Promise((r) => setTimeout(r, 20))]);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(delivery: Delivery, body: string): Promise<void> {
    const url = this.options.url;
    if (this.closed || !url) return;
    delivery.attempts += 1;
    // Signed with wall-clock time, not the emulator's clock: receivers check the timestamp against their own now.
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: this.options.secret, timestamp: Math.floor(Date.now() / 1000) });
    try {
      delivery.lastStatus = await post(url, body, signature, this.options.timeoutMs);
      delivery.lastError = null;
    } catch (err) {
      delivery.lastStatus = null;
      delivery.lastError = err instanceof Error ? err.message : String(err);
    }
    const ok = delivery.lastStatus !== null && delivery.lastStatus >= 200 && delivery.lastStatus < 300;
    const outcome = ok ? 'delivered' : `answered ${delivery.lastStatus ?? delivery.lastError}`;
    this.options.logger(`webhook ${delivery.type} ${delivery.eventId} attempt ${delivery.attempts}: ${outcome}`);
    if (ok) {
      delivery.status = 'delivered';
      return;
    }
    const delay = this.options.retryDelaysMs[delivery.attempts - 1];
    if (delay === undefined) {
      delivery.status = 'failed';
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.track(this.attempt(delivery, body));
    }, delay);
    this.timers.add(timer);
  }
}
