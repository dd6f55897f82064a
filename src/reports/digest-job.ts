// The weekly digest on DIGEST_CRON (in REPORT_TIMEZONE), its hourly retry, and the catch-up the
// bot runs after login. Each asks "is the latest due week posted?" and posts it if not, with
// asOf = that week's scheduled instant (never "now"), so a late run reports the right week.
import type { Job } from '../jobs/scheduler.ts';
import { digestClaimed, postDigest, type DigestPorts, type PostOutcome } from './digest-post.ts';
import { digestSchedule } from './digest-schedule.ts';

/** node-cron may call a little before the instant it was aimed at; that run still owns the week. */
const EARLY_TOLERANCE_MS = 5_000;
/** A failed run (e.g. the database was busy) is retried at this minute of every hour. */
export const DIGEST_RETRY_CRON = '17 * * * *';

export type DigestRunResult = PostOutcome | { status: 'nothing_due' } | { status: 'baseline'; asOf: number };

/** Posts the latest due week if it has no digest yet. */
export async function runDigest(ports: DigestPorts): Promise<DigestRunResult> {
  const now = ports.clock.now();
  const due = digestSchedule(ports.config.digestCron, ports.config.reportTimezone).latestAtOrBefore(now + EARLY_TOLERANCE_MS);
  if (due === null) return { status: 'nothing_due' };
  // Called a moment early: wait for the instant, so the week's last events are in.
  if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
  return postDigest(ports, due);
}

/**
 * After login. A database that never had a digest belongs to a fresh install: nothing was missed,
 * so the latest due week is recorded as a baseline and not posted (the next fire posts normally).
 * Otherwise it is runDigest: a week missed while the bot was down is posted now.
 */
export async function catchUpDigest(ports: DigestPorts): Promise<DigestRunResult> {
  const due = digestSchedule(ports.config.digestCron, ports.config.reportTimezone).latestAtOrBefore(ports.clock.now());
  if (due === null) return { status: 'nothing_due' };
  const any = await ports.db.selectFrom('digests').select('as_of').limit(1).executeTakeFirst();
  if (!any) {
    await ports.db
      .insertInto('digests')
      .values({ as_of: due, status: 'baseline', dedupe_key: null, json: null, created_at: ports.clock.now() })
      .onConflict((oc) => oc.column('as_of').doNothing())
      .execute();
    ports.logger.info({ asOf: new Date(due).toISOString() }, 'digest: first start; the first digest goes out at the next DIGEST_CRON time');
    return { status: 'baseline', asOf: due };
  }
  if (await digestClaimed(ports.db, due)) return { status: 'already', asOf: due };
  ports.logger.warn({ asOf: new Date(due).toISOString() }, 'digest: the latest week was not posted (the bot was down?); posting it now');
  return runDigest(ports);
}

/** The scheduled jobs: the digest itself and its hourly retry (a no-op once the week is posted). */
export function digestJobs(ports: DigestPorts): Job[] {
  // The two may fire in the same minute: one computation serves both (the claim would stop a
  // second post anyway, but not a second computation).
  let running: Promise<ReturnType<typeof summary>> | undefined;
  const run = () => (running ??= runDigest(ports).then(summary).finally(() => (running = undefined)));
  return [
    { name: 'digest', cron: ports.config.digestCron, timezone: ports.config.reportTimezone, run },
    { name: 'digest-retry', cron: DIGEST_RETRY_CRON, run },
  ];
}

/** What the scheduler logs: the outcome without the whole DigestJson. */
function summary(r: DigestRunResult) {
  if (r.status === 'queued') return { status: r.status, asOf: r.digest.as_of };
  if ('asOf' in r) return { status: r.status, asOf: new Date(r.asOf).toISOString() };
  return r;
}
