// Queues one digest: computes the figures for asOf, draws the chart, then claims the week and
// queues the message in ONE transaction. The digests row (keyed by asOf) is the claim and the
// outbox dedupe key the second guard, so a restart, a retry or a second instance never posts twice.
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import { enqueueMessage, type OutboxFile } from '../membership/outbox.ts';
import { renderChart } from './chart.ts';
import { chartInputFor } from './chart-input.ts';
import type { ComputeDigest } from './digest-port.ts';
import { CHART_FILE, digestMessage } from './digest-render.ts';
import type { DigestJson } from './metrics/types.ts';

export interface DigestPorts {
  db: Db;
  compute: ComputeDigest;
  config: Pick<Config, 'digestCron' | 'reportTimezone' | 'ownerChannelId'>;
  clock: Clock;
  logger: Logger;
  /** Wakes the bot's outbox worker; a CLI passes a no-op (the running bot's poll picks the row up). */
  outbox: { kick(): void };
}

export type PostOutcome = { status: 'queued'; digest: DigestJson } | { status: 'already'; asOf: number };

export const digestKey = (asOf: number) => `digest:${new Date(asOf).toISOString()}`;

export interface PostOptions {
  /**
   * Post over a baseline row (the week before the first start, deliberately not posted). Only an
   * owner's explicit `npm run digest -- --post` does; the jobs treat a baseline as done.
   */
  overBaseline?: boolean;
}

/** Whether the week ending at asOf is taken: queued, or a baseline unless overBaseline. */
export async function digestClaimed(db: Db, asOf: number, options: PostOptions = {}): Promise<boolean> {
  const row = await db.selectFrom('digests').select('status').where('as_of', '=', asOf).executeTakeFirst();
  return row !== undefined && (row.status === 'queued' || !options.overBaseline);
}

export async function postDigest(ports: DigestPorts, asOf: number, options: PostOptions = {}): Promise<PostOutcome> {
  if (await digestClaimed(ports.db, asOf, options)) return { status: 'already', asOf };
  const digest = await ports.compute(asOf);
  return queueDigest(ports, digest, await chartFiles(ports, digest), options);
}

/** Claims the week and queues the message (with the chart, when drawn) in one transaction. */
export async function queueDigest(ports: DigestPorts, digest: DigestJson, files: OutboxFile[], options: PostOptions = {}): Promise<PostOutcome> {
  const asOf = Date.parse(digest.as_of);
  const body = digestMessage(digest, { timeZone: ports.config.reportTimezone, withChart: files.length > 0 });
  const key = digestKey(asOf);
  const now = ports.clock.now();
  const claimed = await ports.db.transaction().execute(async (trx) => {
    const row = { as_of: asOf, status: 'queued' as const, dedupe_key: key, json: JSON.stringify(digest), created_at: now };
    const result = await trx
      .insertInto('digests')
      .values(row)
      .onConflict((oc) => (options.overBaseline ? oc.column('as_of').doUpdateSet(row).where('digests.status', '=', 'baseline') : oc.column('as_of').doNothing()))
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    await enqueueMessage(trx, { target: { channelId: ports.config.ownerChannelId }, body, files, dedupeKey: key, reason: 'weekly digest', source: key, now });
    return true;
  });
  if (!claimed) return { status: 'already', asOf };
  ports.logger.info({ asOf: digest.as_of, channelId: ports.config.ownerChannelId, chart: files.length > 0 }, 'digest queued');
  ports.outbox.kick();
  return { status: 'queued', digest };
}

/** The chart is a bonus: if drawing fails, the figures still go out (and the error is logged). */
export async function chartFiles(ports: Pick<DigestPorts, 'compute' | 'config' | 'logger'>, digest: DigestJson): Promise<OutboxFile[]> {
  const input = await chartInputFor(ports.compute, digest, ports.config.reportTimezone);
  try {
    return [{ name: CHART_FILE, data: renderChart(input) }];
  } catch (err) {
    ports.logger.error({ err, asOf: digest.as_of }, 'digest: could not draw the chart; posting the figures without it');
    return [];
  }
}
