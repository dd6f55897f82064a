// Raw activity is kept for ACTIVITY_RETENTION_DAYS; the hourly and member-day rollups are kept for good.
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Job } from '../jobs/scheduler.ts';
import type { Logger } from '../logging/logger.ts';

const DAY_MS = 86_400_000;
/** Small transactions, so the capture's flushes never wait long behind a big delete. */
const CHUNK = 5_000;

/** Deletes raw events stamped before now − retention; returns how many. */
export async function pruneActivity(db: Db, opts: { now: number; retentionDays: number }): Promise<number> {
  const cutoff = opts.now - opts.retentionDays * DAY_MS;
  let deleted = 0;
  for (;;) {
    const batch = db.selectFrom('activity_events').select('id').where('at', '<', cutoff).limit(CHUNK);
    const result = await db.deleteFrom('activity_events').where('id', 'in', batch).executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < CHUNK) return deleted;
  }
}

export interface ActivityJobPorts {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
}

/** Daily at 03:17 server time (off the hour, away from other jobs). */
export function activityJobs(ports: ActivityJobPorts): Job[] {
  return [
    {
      name: 'activity-prune',
      cron: '17 3 * * *',
      async run() {
        const deleted = await pruneActivity(ports.db, { now: ports.clock.now(), retentionDays: ports.retentionDays });
        if (deleted) ports.logger.info({ deleted, retentionDays: ports.retentionDays }, 'activity: pruned raw events past retention (rollups kept)');
        return { deleted };
      },
    },
  ];
}
