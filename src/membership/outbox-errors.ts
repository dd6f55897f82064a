// What a failed outbox attempt means: retry later, wait for the member, or stop (and maybe alert).
//
// What @discordjs/rest 2.x already does before an error reaches us (node_modules/@discordjs/rest):
// - 429: it waits out Retry-After / X-RateLimit-Reset-After and re-sends, without limit, unless the
//   client sets `rejectOnRateLimit`; then it throws RateLimitError (retryAfter in ms). Per-bucket
//   queues and the global 50/s are tracked for us, so the worker never paces requests itself.
// - 5xx: re-sent at once up to `retries` (3) times, then HTTPError. No backoff between those.
// - Network: AbortError (the 15 s `timeout`) and ECONNRESET are re-sent up to 3 times; anything
//   else (ECONNREFUSED, DNS) is thrown at once.
// - Other 4xx: DiscordAPIError at once, with Discord's `code` and the HTTP `status`.
// So the worker adds: backoff across minutes for outages (5xx, network, a RateLimitError),
// honouring retry_after when the error carries one, and a decision for each Discord error code.
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { OutboxKind } from '../db/schema.ts';

/** A row the worker can never apply (bad payload, a role outside the tiers file): fail it, do not retry. */
export class UnusableOutboxRow extends Error {
  override name = 'UnusableOutboxRow';
}

export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownMember: 10007,
  UnknownRole: 10011,
  UnknownUser: 10013,
  MissingAccess: 50001,
  CannotDm: 50007,
  MissingPermissions: 50013,
} as const;

export type Outcome =
  | { kind: 'retry'; afterMs: number | undefined; error: string }
  | { kind: 'waiting_member'; error: string }
  /** `alertCode`: an owner must fix the server (role hierarchy, a deleted role); say so once. */
  | { kind: 'failed'; error: string; code: number | undefined; alertCode?: number };

export function classify(error: unknown, kind: OutboxKind): Outcome {
  const text = describeError(error);
  if (error instanceof UnusableOutboxRow) return { kind: 'failed', error: text, code: undefined };
  if (error instanceof RateLimitError) return { kind: 'retry', afterMs: error.retryAfter, error: text };
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : undefined;
    if (error.status === 429) return { kind: 'retry', afterMs: retryAfterOf(error), error: text };
    // 401 means our token was reset mid-flight, not that this operation is wrong: keep it for later.
    if (error.status === 401 || error.status >= 500) return { kind: 'retry', afterMs: undefined, error: text };
    if (kind !== 'message' && code === DiscordCode.UnknownMember) return { kind: 'waiting_member', error: text };
    if (kind !== 'message' && (code === DiscordCode.MissingPermissions || code === DiscordCode.UnknownRole)) {
      return { kind: 'failed', error: text, code, alertCode: code };
    }
    // Closed DMs (50007), a deleted channel, an invalid body: trying again cannot change the answer.
    return { kind: 'failed', error: text, code };
  }
  // HTTPError (5xx after discord.js's own retries) and network errors are outages: retry later.
  return { kind: 'retry', afterMs: undefined, error: text };
}

/** retry_after from a 429 body (seconds), in milliseconds. */
function retryAfterOf(error: DiscordAPIError): number | undefined {
  const raw = error.rawError as { retry_after?: unknown };
  return typeof raw.retry_after === 'number' ? Math.ceil(raw.retry_after * 1000) : undefined;
}

export interface BackoffOptions {
  /** The first retry waits between base/2 and base. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
  /** Give up (failed, with an alert) when this many attempts failed. */
  maxAttempts: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, capMs: 15 * 60_000, maxAttempts: 10, random: Math.random };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries after
 * an outage spread out instead of arriving together. `attempt` counts from 1.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + opts.random() * (exp / 2));
}

/** A short, token-free description for `outbox.last_error` and logs. */
export function describeError(error: unknown): string {
  if (error instanceof DiscordAPIError) return `${error.status} ${String(error.code)}: ${error.message}`.slice(0, 500);
  if (error instanceof HTTPError) return `${error.status}: ${error.message} (after discord.js's own retries)`;
  if (error instanceof RateLimitError) return `429: rate limited on ${error.route} for ${error.retryAfter} ms${error.global ? ' (global)' : ''}`;
  if (error instanceof Error) {
    const cause = (error.cause as { code?: unknown } | undefined)?.code;
    return `${error.name}: ${error.message}${typeof cause === 'string' ? ` (${cause})` : ''}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}
