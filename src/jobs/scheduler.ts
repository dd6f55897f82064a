import cron from 'node-cron';
import type { Logger } from '../logging/logger.ts';

export interface Job {
  name: string;
  /** Cron expression (node-cron syntax), in `timezone` when given, else server time. */
  cron: string;
  /** IANA zone the expression is read in, e.g. REPORT_TIMEZONE for "Monday 09:00". */
  timezone?: string;
  run(): Promise<unknown>;
}

export interface Scheduler {
  /** Stops firing and waits for runs in progress. */
  stop(): Promise<void>;
}

/**
 * node-cron registrations only: each job calls one feature function. A run never overlaps the
 * previous one, and its failure is logged with the job name (the next tick tries again).
 */
export function scheduleJobs(jobs: readonly Job[], logger: Logger): Scheduler {
  const running = new Set<Promise<unknown>>();
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        const started = Date.now();
        const run = job.run().then(
          (result) => logger.info({ job: job.name, ms: Date.now() - started, result }, 'job finished'),
          (err: unknown) => logger.error({ err, job: job.name }, 'job failed; it runs again at its next tick'),
        );
        running.add(run);
        await run.finally(() => running.delete(run));
      },
      { name: job.name, noOverlap: true, ...(job.timezone ? { timezone: job.timezone } : {}) },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.allSettled(running);
    },
  };
}
