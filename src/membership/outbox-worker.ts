// Applies outbox rows to Discord: role changes (with an audit row in the same transaction) and
// messages (DMs, alerts, audit lines). Rows were written in the transaction that decided them, so
// a crash loses nothing; role PUT/DELETE are idempotent and messages carry a nonce, so a retry
// doubles nothing. Run one worker per database (the bot process); other processes only enqueue and
// the bot's poll picks their rows up. A second worker would double no effect (writes are guarded
// on status, calls are idempotent or nonce-checked), only some requests.
import type { Client } from 'discord.js';
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import type { AlertContext } from './outbox-alerts.ts';
import { classify, DEFAULT_BACKOFF, type BackoffOptions, type Outcome } from './outbox-errors.ts';
import { recordOutcome, type DrainResult } from './outbox-record.ts';
import { applyRow, type OutboxRow } from './outbox-send.ts';
import type { Tiers } from './tiers.ts';

export interface OutboxWorkerOptions {
  db: Db;
  /** Logged in: the worker uses its REST client (rate limits shared with the rest of the bot). */
  client: Client;
  guildId: string;
  ownerChannelId: string;
  tiers: Tiers;
  /** Roles besides the tiers' that Guildhall manages: level rewards, the monthly champion. */
  otherRoleIds?: readonly string[];
  logger: Logger;
  clock: Clock;
  backoff?: Partial<BackoffOptions>;
  /** Rows taken per batch and sent concurrently; discord.js queues them per rate-limit bucket. */
  batchSize?: number;
  /** How often start() looks for retries that became due. */
  pollMs?: number;
}

export type { DrainResult } from './outbox-record.ts';

export interface OutboxWorker {
  /** Applies every due row; resolves when done. Called during a drain, it runs one more pass after it. */
  drain(): Promise<DrainResult>;
  /** drain() without waiting; failures are logged. */
  kick(): void;
  /** Drains now and then every pollMs. */
  start(): void;
  /** No new batches; waits for the current one. */
  stop(): Promise<void>;
  /** GUILD_MEMBER_ADD: their operations that met 10007 Unknown Member become due again. */
  memberJoined(userId: string): Promise<void>;
}

const empty = (): DrainResult => ({ applied: 0, waiting: 0, failed: 0, retrying: 0 });

export function createOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { db, clock, logger } = opts;
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const batchSize = opts.batchSize ?? 50;
  const send = { rest: opts.client.rest, guildId: opts.guildId, managedRoleIds: new Set([...opts.tiers.managedRoleIds, ...(opts.otherRoleIds ?? [])]) };
  const alertContext = (now: number): AlertContext => ({
    ownerChannelId: opts.ownerChannelId, tiers: opts.tiers, botName: opts.client.user?.username ?? 'Guildhall', now,
  });
  let current: Promise<DrainResult> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  /** Due rows in id order, a batch at a time. The id cursor takes each row at most once per pass. */
  async function pass(total: DrainResult): Promise<void> {
    let cursor = 0;
    while (!stopped) {
      const rows = await db.selectFrom('outbox').selectAll()
        .where('status', '=', 'pending').where('next_attempt_at', '<=', clock.now()).where('id', '>', cursor)
        .orderBy('id').limit(batchSize).execute();
      if (rows.length === 0) return;
      cursor = rows.at(-1)!.id;
      for (const result of await Promise.all(rows.map(attempt))) total[result] += 1;
    }
  }

  async function attempt(row: OutboxRow): Promise<keyof DrainResult> {
    let outcome: Outcome | { kind: 'done' };
    try {
      await applyRow(send, row);
      outcome = { kind: 'done' };
    } catch (error) {
      outcome = classify(error, row.kind);
    }
    try {
      return await recordOutcome(db, row, outcome, { now: clock.now(), backoff, alerts: alertContext, logger });
    } catch (err) {
      // The row stays pending and is tried again on a later pass; re-applying is harmless.
      logger.error({ err, outboxId: row.id, kind: row.kind }, 'outbox: could not record the result of an attempt');
      return 'retrying';
    }
  }

  const worker: OutboxWorker = {
    drain() {
      if (current) {
        again = true;
        return current;
      }
      current = (async () => {
        const total = empty();
        do {
          again = false;
          await pass(total);
        } while (again && !stopped);
        return total;
      })().finally(() => (current = undefined));
      return current;
    },
    kick() {
      if (stopped) return;
      worker.drain().catch((err: unknown) => logger.error({ err }, 'outbox: drain failed; the next poll tries again'));
    },
    start() {
      stopped = false;
      timer ??= setInterval(() => worker.kick(), opts.pollMs ?? 2_000).unref();
      worker.kick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      // Its failure was already logged by kick(), or surfaced to whoever awaited drain().
      await Promise.allSettled([current]);
    },
    async memberJoined(userId) {
      const res = await db.updateTable('outbox').set({ status: 'pending', next_attempt_at: clock.now() })
        .where('discord_user_id', '=', userId).where('status', '=', 'waiting_member').executeTakeFirst();
      if (res.numUpdatedRows > 0n) {
        logger.info({ userId, operations: Number(res.numUpdatedRows) }, 'outbox: member joined; applying their waiting role changes');
        worker.kick();
      }
    },
  };
  return worker;
}
