// What `npm run digest` does once its arguments are parsed, with every port injected (tests call
// it directly): print the digest as text or JSON, write the chart, queue it for the owners.
import { renderChart } from './chart.ts';
import { chartInputFor } from './chart-input.ts';
import type { DigestArgs } from './digest-cli-args.ts';
import { queueDigest, type DigestPorts } from './digest-post.ts';
import { CHART_FILE, digestText } from './digest-render.ts';
import { digestSchedule } from './digest-schedule.ts';
import type { OutboxFile } from '../membership/outbox.ts';

export interface DigestCliPorts extends DigestPorts {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

/** Returns the exit code: 0 done, 1 failed. */
export async function runDigestCli(args: DigestArgs, ports: DigestCliPorts): Promise<number> {
  const { config } = ports;
  const asOf = args.asOf ?? digestSchedule(config.digestCron, config.reportTimezone).latestAtOrBefore(ports.clock.now());
  if (asOf === null) {
    ports.stderr(`DIGEST_CRON "${config.digestCron}" has not fired in the last 400 days; give --as-of.\n`);
    return 1;
  }
  const digest = await ports.compute(asOf);
  ports.stdout(args.json ? `${JSON.stringify(digest, null, 2)}\n` : digestText(digest, { timeZone: config.reportTimezone, atRiskCap: Number.POSITIVE_INFINITY }));
  let files: OutboxFile[] = [];
  if (args.chart || args.post) {
    const png = renderChart(await chartInputFor(ports.compute, digest, config.reportTimezone));
    files = [{ name: CHART_FILE, data: png }];
    if (args.chart) {
      await ports.writeFile(args.chart, png);
      ports.stderr(`Chart written to ${args.chart}.\n`);
    }
  }
  if (args.post) {
    const outcome = await queueDigest(ports, digest, files, { overBaseline: true });
    ports.stderr(
      outcome.status === 'queued'
        ? `Queued for the owners' channel (${config.ownerChannelId}). The bot sends it: now if it is running, otherwise when it next starts.\n`
        : `The digest for the week ending ${digest.as_of} was already posted; nothing queued.\n`,
    );
  }
  return 0;
}
