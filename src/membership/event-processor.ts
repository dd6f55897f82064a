import type Stripe from 'stripe';
import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import type { Policy } from './entitlement.ts';
import { STRIPE_API_VERSION } from './stripe-client.ts';
import { handlerFor } from './stripe-events.ts';
import type { Tiers } from './tiers.ts';

export interface EventProcessorDeps {
  db: Db;
  stripe: Stripe;
  tiers: Tiers;
  policy: Policy;
  logger: Logger;
  clock: Clock;
  /** Where dispute alerts go (config.ownerChannelId). */
  ownerChannelId: string;
  /** Called after a transaction that may have queued outbox rows commits: deps.outbox.kick. */
  onCommitted?: () => void;
  /** Safety net: drain this often even without a kick (default 60 s). */
  pollMs?: number;
}

export interface EventProcessor {
  /** Processes every due unprocessed event, oldest first; resolves with how many were processed. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after the webhook recorded an event). Coalesced; no-op until start(). */
  kick(): void;
  /** Drains once now (events recorded before a crash), then on every kick and poll. */
  start(): void;
  /** Stops polling and waits for the drain in progress. */
  stop(): Promise<void>;
}

const BATCH = 100;
/** Failures keep being retried (capped backoff); from this many on, each one is logged as an error. */
export const ERROR_AFTER_ATTEMPTS = 8;
export const retryDelayMs = (attempts: number): number => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/** An error as stored in stripe_events.last_error: short, and with anything key-shaped scrubbed. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\b(sk|rk|pk|whsec)_[A-Za-z0-9_]+/g, '$1_[redacted]').slice(0, 500);
}

/**
 * Applies recorded Stripe events (stripe_events) to membership state. Each event is handled in one
 * transaction together with setting processed_at, so it takes effect exactly once: a crash rolls the
 * whole event back and it is processed again later, and a redelivery was never recorded twice.
 */
export function createEventProcessor(deps: EventProcessorDeps): EventProcessor {
  const { db, logger, clock } = deps;
  /** In memory on purpose: after a restart every failed event is retried once at once. */
  const notBefore = new Map<string, number>();
  let tail: Promise<unknown> = Promise.resolve();
  let queued = false;
  let started = false;
  let stopped = false;
  let poll: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  const warnedVersions = new Set<string>();

  async function processOne(row: { id: string; type: string; created: number; payload: string; attempts: number }): Promise<boolean> {
    const log = logger.child({ eventId: row.id, type: row.type });
    try {
      const event = JSON.parse(row.payload) as Stripe.Event;
      if (event.api_version && event.api_version !== STRIPE_API_VERSION && !warnedVersions.has(event.api_version)) {
        warnedVersions.add(event.api_version);
        log.warn({ apiVersion: event.api_version, expected: STRIPE_API_VERSION }, `Stripe sends events in another API version: set the webhook endpoint's API version to ${STRIPE_API_VERSION} in the Stripe Dashboard`);
      }
      const handler = handlerFor(row.type);
      const prepared = handler?.prepare ? await handler.prepare(event, { db, stripe: deps.stripe }) : undefined;
      const processed = await db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('stripe_events').select('processed_at').where('id', '=', row.id).executeTakeFirst();
        if (!current || current.processed_at !== null) return false;
        const now = clock.now();
        const source = `stripe:${row.id}`;
        if (handler) {
          const sync = { tiers: deps.tiers, policy: deps.policy, now, source };
          await handler.apply({ trx, event, stateAt: row.created * 1000, now, source, sync, tiers: deps.tiers, policy: deps.policy, logger: log, ownerChannelId: deps.ownerChannelId }, prepared);
        }
        await trx.updateTable('stripe_events').set({ processed_at: now }).where('id', '=', row.id).execute();
        return true;
      });
      notBefore.delete(row.id);
      if (processed) {
        log.debug({ handled: handler !== undefined }, 'stripe event processed');
        deps.onCommitted?.();
      }
      return processed;
    } catch (error) {
      const attempts = row.attempts + 1;
      await db.updateTable('stripe_events').set({ attempts, last_error: describeError(error) }).where('id', '=', row.id).execute();
      notBefore.set(row.id, clock.now() + retryDelayMs(attempts));
      const fields = { err: error, attempts, retryInMs: retryDelayMs(attempts) };
      if (attempts >= ERROR_AFTER_ATTEMPTS) log.error(fields, 'stripe event keeps failing; see stripe_events.last_error (it is retried with backoff)');
      else log.warn(fields, 'stripe event failed; will retry');
      return false;
    }
  }

  async function drainOnce(): Promise<number> {
    let processed = 0;
    // Keyset walk in (created, id) order: every unprocessed event is visited once per drain, and an
    // event in backoff does not hold back the ones after it (state_at keeps them order-safe).
    let after: { created: number; id: string } | undefined;
    for (;;) {
      let q = db.selectFrom('stripe_events').select(['id', 'type', 'created', 'payload', 'attempts']).where('processed_at', 'is', null);
      if (after) {
        const { created, id } = after;
        q = q.where((eb) => eb.or([eb('created', '>', created), eb.and([eb('created', '=', created), eb('id', '>', id)])]));
      }
      const rows = await q.orderBy('created').orderBy('id').limit(BATCH).execute();
      for (const row of rows) {
        after = row;
        if ((notBefore.get(row.id) ?? 0) > clock.now()) continue;
        if (await processOne(row)) processed += 1;
      }
      if (rows.length < BATCH) break;
    }
    scheduleRetry();
    return processed;
  }

  function scheduleRetry() {
    if (!started || stopped || notBefore.size === 0) return;
    clearTimeout(retry);
    const wait = Math.max(0, Math.min(...notBefore.values()) - clock.now());
    retry = setTimeout(kick, wait + 50).unref();
  }

  /** Drains never overlap: each waits for the one before it. */
  function drain(): Promise<number> {
    const run = tail.then(drainOnce);
    // `tail` only orders drains; the failure itself reaches the caller through `run`.
    tail = run.catch(() => undefined);
    return run;
  }

  function kick() {
    if (!started || stopped || queued) return;
    queued = true;
    const run = tail.then(() => {
      queued = false;
      return drainOnce();
    });
    tail = run.catch(() => undefined); // ordering only: the next line logs the failure
    run.catch((err: unknown) => logger.error({ err }, 'stripe event drain failed; it is retried on the next kick or poll'));
  }

  return {
    drain,
    kick,
    start() {
      if (started) return;
      started = true;
      kick();
      poll = setInterval(kick, deps.pollMs ?? 60_000).unref();
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(retry);
      await tail;
    },
  };
}
