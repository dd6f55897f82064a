import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REST } from 'discord.js';
import { pino } from 'pino';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logging/logger.ts';
import { reconcile, type ReconcileSummary } from '../src/membership/reconcile.ts';
import { createStripeClient } from '../src/membership/stripe-client.ts';
import { parseTiers } from '../src/membership/tiers.ts';
import { SANDBOX_TIERS } from '../src/sandbox/tiers.ts';

/**
 * The bot side of the reconciliation benchmark, in its own process so its peak RSS is its own
 * (the emulators holding 100k subscriptions and members live in the parent). One line of JSON out.
 *   reconcile  reconcile() against the emulators, on the database file given
 *   idle       the same imports and an opened, migrated database: the RSS baseline
 *   list       raw stripe-node list calls through every subscription: the wall-time baseline
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`reconcile-child: ${name} is not set (bench/reconcile.ts sets it)`);
  return value;
};
const mode = process.argv[2] ?? 'reconcile';
const file = env('BENCH_DB');
mkdirSync(path.dirname(file), { recursive: true });
const db = openDatabase(file);
await migrate(db);
const stripeUrl = new URL(env('STRIPE_API_URL'));
const stripe = createStripeClient({ stripeSecretKey: env('STRIPE_SECRET_KEY'), stripeApi: { host: stripeUrl.hostname, port: Number(stripeUrl.port), protocol: 'http' } });
const started = performance.now();
let summary: ReconcileSummary | undefined;
let listed = 0;
if (mode === 'reconcile') {
  summary = await reconcile({
    db,
    stripe,
    rest: new REST({ api: env('DISCORD_API_URL') }).setToken(env('DISCORD_TOKEN')),
    guildId: env('DISCORD_GUILD_ID'),
    tiers: parseTiers(SANDBOX_TIERS),
    policy: { gracePeriodMs: 72 * 3_600_000 },
    clock: { now: () => Date.now() },
    logger: createLogger({ level: 'info', secrets: [], destination: pino.destination({ dest: '/dev/null', sync: true }), pretty: false }),
  });
} else if (mode === 'list') {
  let startingAfter: string | undefined;
  for (;;) {
    const page = await stripe.subscriptions.list({ status: 'all', limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) });
    listed += page.data.length;
    if (!page.has_more) break;
    startingAfter = page.data.at(-1)!.id;
  }
}
const wallMs = performance.now() - started;
await db.destroy();
// maxRSS is in kilobytes.
console.log(JSON.stringify({ mode, wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, summary, listed }));
