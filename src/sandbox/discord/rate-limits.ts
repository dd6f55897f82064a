// Discord-like rate limits: per-route buckets with X-RateLimit-* headers and a global per-second cap.
import { createHash } from 'node:crypto';
import type { RateLimitOptions } from './types.ts';

/** Parameters that make a separate bucket, as on Discord: channel, guild, and webhook id + token. */
const MAJOR = new Set(['channelId', 'guildId', 'webhookId', 'token']);

export interface RateLimitDecision {
  headers: Record<string, string>;
  /** Set when the request must be refused with 429. */
  limited?: { body: { message: string; retry_after: number; global: boolean; code?: number } };
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

/** Seconds with millisecond precision. Discord rounds Retry-After up to whole seconds; finer keeps tests fast. */
const seconds = (ms: number) => Math.max(0.001, Math.ceil(ms) / 1000);

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private globalWindowStart = 0;
  private globalCount = 0;
  readonly counts = { routeLimited: 0, globalLimited: 0 };

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Route key: the pattern with major parameters filled in, e.g. "POST /channels/123/messages". */
  static bucketKey(method: string, pattern: string, params: Record<string, string>): { key: string; hash: string } {
    const route = pattern.replace(/:(\w+)/g, (m, name: string) => (MAJOR.has(name) ? (params[name] ?? m) : m));
    const hash = createHash('sha256').update(`${method} ${pattern}`).digest('hex').slice(0, 32);
    return { key: `${method} ${route}`, hash };
  }

  check(method: string, pattern: string, params: Record<string, string>, exempt: boolean): RateLimitDecision {
    if (exempt) return { headers: {} };
    const now = this.now();
    const global = this.checkGlobal(now);
    if (global) return global;
    const per = this.opts.perRoute;
    if (!per) return { headers: {} };
    const { key, hash } = RateLimiter.bucketKey(method, pattern, params);
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { remaining: per.limit, resetAt: now + per.windowMs };
      this.buckets.set(key, bucket);
    }
    const resetAfter = bucket.resetAt - now;
    const headers = (remaining: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(per.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': seconds(resetAfter).toFixed(3),
      'X-RateLimit-Bucket': hash,
    });
    if (bucket.remaining <= 0) {
      this.counts.routeLimited += 1;
      return {
        headers: { ...headers(0), 'Retry-After': String(seconds(resetAfter)), 'X-RateLimit-Scope': 'user' },
        limited: { body: { message: 'You are being rate limited.', retry_after: seconds(resetAfter), global: false } },
      };
    }
    bucket.remaining -= 1;
    return { headers: headers(bucket.remaining) };
  }

  private checkGlobal(now: number): RateLimitDecision | undefined {
    const cap = this.opts.globalPerSecond;
    if (!cap) return undefined;
    if (now - this.globalWindowStart >= 1000) {
      this.globalWindowStart = now;
      this.globalCount = 0;
    }
    if (this.globalCount < cap) {
      this.globalCount += 1;
      return undefined;
    }
    this.counts.globalLimited += 1;
    const retry = seconds(this.globalWindowStart + 1000 - now);
    return {
      headers: { 'Retry-After': String(retry), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
      limited: { body: { message: 'You are being rate limited.', retry_after: retry, global: true, code: 0 } },
    };
  }
}
