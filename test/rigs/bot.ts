import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig, secretsOf, type Config } from '../../src/config.ts';
import type { Clock } from '../../src/discord/command.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';
import { createContractRecorder, discordContractAvailable, discordSpecPath, loadDiscordContract, type ContractRecorder } from './discord-contract.ts';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_QA } from '../../src/sandbox/qa.ts';
import { SANDBOX_STRIPE_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { testEnv } from './env.ts';
import { captureLogs, type CapturedLogs } from './logs.ts';

export interface BotRig {
  app: App;
  config: Config;
  discord: DiscordEmulator;
  /** The Stripe emulator the bot's stripe-node client talks to; its webhooks reach the bot. */
  stripe: StripeEmulator;
  logs: CapturedLogs;
  /** Undefined only where ../shared is absent (a user's clone): requests then go unvalidated. */
  contract: ContractRecorder | undefined;
  httpUrl: string;
  /** Stops everything, then fails if any Discord request broke the contract. */
  stop(): Promise<void>;
}

let warned = false;

/**
 * The real bot (createApp: migrations, loader, dispatcher, HTTP) against the Discord emulator on
 * loopback, with a fresh SQLite file. Every REST request discord.js sends is validated against
 * Discord's OpenAPI description as it happens.
 */
export interface BotRigOptions {
  commandsDir?: string;
  emulator?: Partial<DiscordEmulatorOptions>;
  env?: Record<string, string>;
  stripe?: Partial<StripeEmulatorOptions>;
  /** Use this running Stripe emulator (left running on stop) instead of a fresh one. */
  stripeEmulator?: StripeEmulator;
  /** The tiers file's content; the sandbox's tiers by default. */
  tiers?: unknown;
  /** The Q&A file's content; the sandbox's by default. */
  qa?: unknown;
  /** The app's clock (the system clock by default). */
  clock?: Clock;
  /** false: no event processor, outbox worker or jobs in the app; the test drives its own. */
  background?: boolean;
  /** Reuse this folder's database (and keep it on stop), to restart the bot over the same data. */
  dataDir?: string;
}

export async function startBotRig(options: BotRigOptions = {}): Promise<BotRig> {
  let contract: ContractRecorder | undefined;
  if (discordContractAvailable()) contract = createContractRecorder(await loadDiscordContract());
  else if (!warned) {
    warned = true;
    console.warn(`Discord contract checks skipped: ${discordSpecPath} not found (CI has ../shared beside the repo; see README "Tests").`);
  }
  const env = testEnv(options.env);
  const discord = await startDiscordEmulator(
    sampleGuildOptions({
      token: env.DISCORD_TOKEN!,
      // Generous: a loaded CI machine must not turn a slow handler into "Unknown interaction".
      interactionCallbackTimeoutMs: 15_000,
      onRequest: (r) => contract?.record({ method: r.method, path: r.path, query: r.query, body: r.body, headers: r.headers }),
      logger: () => undefined,
      ...options.emulator,
    }),
  );
  const stripe = options.stripeEmulator ?? await startStripeEmulator({
    secretKey: env.STRIPE_SECRET_KEY!,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
    prices: SANDBOX_STRIPE_PRICES,
    retryDelaysMs: [50, 200, 500],
    ...options.stripe,
  });
  const dir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'guildhall-bot-'));
  const tiersFile = path.join(dir, 'tiers.json');
  writeFileSync(tiersFile, JSON.stringify(options.tiers ?? SANDBOX_TIERS));
  const qaFile = path.join(dir, 'qa.json');
  writeFileSync(qaFile, JSON.stringify(options.qa ?? SANDBOX_QA));
  const config = parseConfig({
    TIERS_FILE: tiersFile,
    QA_CHANNEL_ID: SAMPLE.channels.forum,
    QA_FILE: qaFile,
    ...env,
    DISCORD_GUILD_ID: SAMPLE.guildId,
    MOD_CHANNEL_ID: SAMPLE.channels.mods,
    OWNER_CHANNEL_ID: SAMPLE.channels.owners,
    DISCORD_API_URL: discord.apiUrl,
    STRIPE_API_URL: stripe.apiUrl,
    DATABASE_URL: path.join(dir, 'bot.sqlite'),
    HTTP_PORT: '0',
  });
  const logs = captureLogs(secretsOf(config));
  const app = await createApp(config, { logger: logs.logger, commandsDir: options.commandsDir, clock: options.clock, background: options.background });
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    await Promise.all([discord.close(), stripe.close()]);
    throw error;
  }
  const httpUrl = `http://127.0.0.1:${app.http!.port}`;
  stripe.setWebhookUrl(`${httpUrl}/stripe/webhook`);
  return {
    app,
    config,
    discord,
    stripe,
    logs,
    contract,
    httpUrl,
    async stop() {
      await app.stop();
      await Promise.all([discord.close(), options.stripeEmulator ? undefined : stripe.close()]);
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
      contract?.assertClean();
    },
  };
}

export const TEST_COMMANDS_DIR = path.resolve(import.meta.dirname, '../fixtures/commands/ok');
