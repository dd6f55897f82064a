// Fault injection: the next N matching REST requests fail the way Discord fails, so tests can drive
// a client's error handling (retries, backoff, alerts) through real HTTP instead of mocks.
import type { RouteResult } from './http-util.ts';
import { RateLimiter } from './rate-limits.ts';

export interface FaultSpec {
  /** e.g. 'PUT'; any method when left out. */
  method?: string;
  /** Matched against the decoded path after /api/v10 (e.g. /guilds/1/members/2/roles/3): a string exactly, a RegExp by test(). */
  path: RegExp | string;
  status: number;
  /** Discord's JSON error code (50013, 10007, ...); 0 by default. Ignored for 429. */
  code?: number;
  message?: string;
  /** Seconds, for 429: sets Retry-After, X-RateLimit-Reset-After and body.retry_after. Default 1. */
  retryAfter?: number;
  /** How many matching requests fail; default 1. */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  left: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  10003: 'Unknown Channel',
  10007: 'Unknown Member',
  10011: 'Unknown Role',
  50001: 'Missing Access',
  50007: 'Cannot send messages to this user',
  50013: 'Missing Permissions',
};

export class FaultInjector {
  private readonly faults: ActiveFault[] = [];
  /** Requests answered by an injected fault. */
  count = 0;

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /**
   * The injected answer for this request, if a fault matches (the oldest first); consumes one use.
   * `pattern`/`params` give the route's bucket hash, so a 429 names the same bucket as real answers.
   */
  take(method: string, apiPath: string, pattern: string, params: Record<string, string>): (RouteResult & { headers: Record<string, string> }) | undefined {
    const index = this.faults.findIndex((f) =>
      f.left > 0 && (f.method === undefined || f.method.toUpperCase() === method) && (typeof f.path === 'string' ? f.path === apiPath : f.path.test(apiPath)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.left -= 1;
    if (fault.left === 0) this.faults.splice(index, 1);
    this.count += 1;
    if (fault.status === 429) {
      const retryAfter = fault.retryAfter ?? 1;
      return {
        status: 429,
        body: { message: fault.message ?? 'You are being rate limited.', retry_after: retryAfter, global: false },
        headers: {
          'Retry-After': String(retryAfter),
          'X-RateLimit-Limit': '1',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
          'X-RateLimit-Reset-After': retryAfter.toFixed(3),
          'X-RateLimit-Bucket': RateLimiter.bucketKey(method, pattern, params).hash,
          'X-RateLimit-Scope': 'user',
        },
      };
    }
    const code = fault.code ?? 0;
    const message = fault.message ?? DEFAULT_MESSAGES[code] ?? `${fault.status}: ${fault.status >= 500 ? 'Internal Server Error' : 'Error'}`;
    return { status: fault.status, body: { message, code }, headers: {} };
  }
}
