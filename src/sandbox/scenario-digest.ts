import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { childBaseEnv } from './bot-process.ts';
import type { Sandbox } from './harness.ts';
import { seedHistory, type HistoryPorts } from './history-seed.ts';
import type { ScenarioStep } from './scenario.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** Outside the repository and outside the sandbox's own temp folder, which is removed on stop. */
export const DEFAULT_DIGEST_CHART = path.join(tmpdir(), 'guildhall-demo-digest.png');

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The owners' digest in the demo: 12 weeks of a community's history arrive through the sources
 * (Discord dispatches and Stripe webhooks carrying their own past times), then the owner runs
 * `npm run digest` for the week ending now, which prints the figures and writes the chart.
 */
export async function digestSteps(sandbox: Sandbox, step: ScenarioStep, opts: { chartPath?: string } = {}): Promise<void> {
  const { discord, stripe } = sandbox;
  const chartPath = path.resolve(opts.chartPath ?? DEFAULT_DIGEST_CHART);
  // Read-only, like the harness: WAL lets it look while the bot writes.
  const reader = new SQLite(sandbox.databasePath, { readonly: true, fileMustExist: true });
  const count = (query: string, ...params: unknown[]) => (reader.prepare(query).get(...params) as { n: number }).n;
  const ports: HistoryPorts = {
    discord,
    stripe,
    stripeApplied: async () => count('select count(*) as n from stripe_events where processed_at is null') === 0,
    botIdle: async () => sandbox.botIsIdle(),
    captured: async (before) => count("select count(*) as n from activity_events where kind in ('message', 'join') and at < ?", before),
  };
  const now = Math.floor(Date.now() / 1000) * 1000;
  const asOf = new Date(now).toISOString();
  try {
    await step('12 weeks of a community arrive, each fact with its own past time, as from Discord and Stripe', async () => {
      const started = performance.now();
      const s = await seedHistory(ports, now);
      const b = s.billing;
      return [
        `👥 ${s.joins} members join between ${day(now - 84 * 86_400_000)} and ${day(now)} (GUILD_MEMBER_ADD with their past joined_at)`,
        `💬 ${s.messages} messages, ${s.forumPosts} of them forum posts in #questions and 1 a thread in #general (MESSAGE_CREATE, snowflakes of their own time)`,
        `💳 ${b.checkouts} checkouts, ${b.renewals} renewals, ${b.declines} declined cards, ${b.priceChanges} price changes, ${b.cancellations} cancellations: ${b.events} Stripe events with their past \`created\``,
        `🚪 ${s.leaves} members leave (Discord gives a leave no time of its own: the bot stamps it on receipt)`,
        `the bot captured ${s.captured} joins and messages stamped in the past, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ];
    });

    await step(`the owner runs npm run digest -- --as-of ${asOf} --chart ${chartPath}`, async () => {
      const env = { ...childBaseEnv(), ...sandbox.env, LOG_LEVEL: 'warn' };
      const { stdout } = await run(TSX, ['src/reports/digest-cli.ts', '--as-of', asOf, '--chart', chartPath], { cwd: ROOT, env, maxBuffer: 4 * 1024 * 1024 });
      // The CLI names members by id; the transcript adds who they are.
      const named = stdout.replace(/member (\d{17,20})/g, (text, id: string) => `@${discord.state.users.get(id)?.username ?? text}`);
      return [...named.trimEnd().split('\n').map((l) => `│ ${l}`), `🖼 the chart (cohort retention, 12 weeks of paying and active members, MRR movement) is in ${chartPath}`];
    });
  } finally {
    reader.close();
  }
}
