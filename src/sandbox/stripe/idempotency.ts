import { StripeApiError, idempotencyMismatch } from './errors.ts';

interface Saved {
  fingerprint: string;
  status: number;
  body: string;
}

/**
 * Stripe's idempotency contract for POST: the same key with the same request replays the first
 * response; the same key with different parameters is a 400; a key still executing is a 409.
 * Like Stripe, only responses from requests that ran (2xx here) are saved, so a rejected request can be retried.
 */
export class IdempotencyCache {
  private readonly saved = new Map<string, Saved>();
  private readonly running = new Set<string>();

  begin(key: string, fingerprint: string): Saved | undefined {
    const hit = this.saved.get(key);
    if (hit) {
      if (hit.fingerprint !== fingerprint) throw idempotencyMismatch(key);
      return hit;
    }
    if (this.running.has(key)) {
      throw new StripeApiError(409, {
        type: 'idempotency_error',
        message: 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' + key + '. Please try again later.',
      });
    }
    this.running.add(key);
    return undefined;
  }

  end(key: string, fingerprint: string, status: number, body: string): void {
    this.running.delete(key);
    if (status >= 200 && status < 300) this.saved.set(key, { fingerprint, status, body });
  }
}
