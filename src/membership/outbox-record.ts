// Writing down what one attempt did, in one transaction: the row's new state, the role_audit row
// for an applied role change, and any alert to the owners.
import type { Updateable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OutboxStatus, OutboxTable } from '../db/schema.ts';
import { saveNotice } from '../discord/member-notices.ts';
import type { Logger } from '../logging/logger.ts';
import { queueGaveUpAlert, queueRoleAlert, type AlertContext } from './outbox-alerts.ts';
import { backoffDelay, DiscordCode, type BackoffOptions, type Outcome } from './outbox-errors.ts';
import type { OutboxRow } from './outbox-send.ts';

export interface DrainResult {
  applied: number;
  waiting: number;
  failed: number;
  retrying: number;
}

export interface RecordContext {
  now: number;
  backoff: BackoffOptions;
  alerts: (now: number) => AlertContext;
  logger: Logger;
}

/** Guarded on status, so a row superseded or finished meanwhile is never revived. */
export async function recordOutcome(db: Db, row: OutboxRow, outcome: Outcome | { kind: 'done' }, ctx: RecordContext): Promise<keyof DrainResult> {
  const { now, backoff, logger } = ctx;
  const attempts = row.attempts + 1;
  const ids = { outboxId: row.id, kind: row.kind, userId: row.discord_user_id, roleId: row.role_id, attempts };
  return db.transaction().execute(async (trx) => {
    const update = (set: Updateable<OutboxTable>, statuses: OutboxStatus[] = ['pending']) =>
      trx.updateTable('outbox').set(set).where('id', '=', row.id).where('status', 'in', statuses).executeTakeFirst();
    if (outcome.kind === 'done') {
      // A row superseded while in flight was still applied on Discord: record what happened.
      const res = await update({ status: 'done', done_at: now, attempts, last_error: null }, ['pending', 'superseded']);
      if (res.numUpdatedRows > 0n && row.kind !== 'message') {
        await trx.insertInto('role_audit').values({
          discord_user_id: row.discord_user_id!, role_id: row.role_id!, action: row.kind === 'role_add' ? 'granted' : 'revoked',
          reason: row.reason, source: row.source, at: now, posted_at: null,
        }).execute();
      }
      logger.debug(ids, 'outbox: applied');
      return 'applied';
    }
    if (outcome.kind === 'waiting_member') {
      await update({ status: 'waiting_member', attempts, last_error: outcome.error });
      logger.info(ids, 'outbox: not a member (10007); applied when they join');
      return 'waiting';
    }
    if (outcome.kind === 'retry' && attempts < backoff.maxAttempts) {
      // Discord's retry_after is exact; our own backoff covers outages that carry none.
      const delay = outcome.afterMs ?? backoffDelay(attempts, backoff);
      await update({ attempts, last_error: outcome.error, next_attempt_at: now + Math.max(1, delay) });
      logger.warn({ ...ids, error: outcome.error, retryInMs: delay }, 'outbox: will retry');
      return 'retrying';
    }
    await update({ status: 'failed', done_at: now, attempts, last_error: outcome.error });
    if (outcome.kind === 'retry') {
      await queueGaveUpAlert(trx, ctx.alerts(now), { kind: row.kind, attempts, error: outcome.error });
      logger.error({ ...ids, error: outcome.error }, 'outbox: gave up after repeated failures');
    } else if (outcome.alertCode !== undefined && row.role_id) {
      await queueRoleAlert(trx, ctx.alerts(now), { roleId: row.role_id, kind: row.kind, code: outcome.alertCode });
      logger.error({ ...ids, code: outcome.code, error: outcome.error }, 'outbox: role change refused; owners alerted');
    } else if (outcome.code === DiscordCode.CannotDm && row.kind === 'message' && row.discord_user_id) {
      // Closed DMs: the member sees it privately at their next interaction instead.
      const { body } = JSON.parse(row.payload) as { body: unknown };
      await saveNotice(trx, { userId: row.discord_user_id, body, source: row.source, now });
      logger.info({ ...ids, error: outcome.error }, 'outbox: DMs closed; kept as a notice for the next interaction');
    } else {
      logger.warn({ ...ids, code: outcome.code, error: outcome.error }, 'outbox: failed; not retried');
    }
    return 'failed';
  });
}
