import { DiscordAPIError, REST } from 'discord.js';
import { loadConfigOrExit, secretsOf } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createLogger } from '../logging/logger.ts';
import { progressBar } from './progress.ts';
import { describeSummary, reconcile } from './reconcile.ts';
import { createStripeClient } from './stripe-client.ts';
import { loadTiers } from './tiers.ts';

// `npm run reconcile`: one reconciliation now, as the bot runs it on RECONCILE_CRON. It only
// queues role changes; the running bot's outbox worker applies them.
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
const db = openDatabase(config.databasePath);
const bar = progressBar(process.stderr, process.stdout.isTTY === true && process.stderr.isTTY === true);
try {
  await migrate(db);
  const summary = await reconcile({
    db,
    stripe: createStripeClient(config),
    rest: new REST({ api: config.discordApiUrl }).setToken(config.discordToken),
    guildId: config.guildId,
    tiers: await loadTiers(config.tiersFile),
    policy: { gracePeriodMs: config.gracePeriodHours * 3_600_000 },
    clock: { now: () => Date.now() },
    logger,
    onProgress: (p) => bar.update(p),
  });
  bar.done();
  console.log(describeSummary(summary));
  const queued = summary.granted + summary.revoked + summary.pending;
  console.log(
    queued
      ? `${queued} role change(s) queued. The running bot applies them (its outbox worker); if the bot is stopped, they are applied when it starts.`
      : 'Nothing to change: every member holds exactly the roles their payments and grants explain.',
  );
} catch (error) {
  bar.done();
  console.error(`Reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof DiscordAPIError && error.status === 403) {
    console.error('Discord refused to list the members: enable "Server Members Intent" (Developer Portal -> your app -> Bot) and check the bot is in DISCORD_GUILD_ID.');
  }
  process.exitCode = 1;
} finally {
  await db.destroy();
}
