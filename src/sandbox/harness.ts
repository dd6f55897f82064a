import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { startBotProcess, type BotProcess, type LogLine } from './bot-process.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator, type RecordedRequest } from './discord/index.ts';
import { startStripeEmulator, type StripeEmulator } from './stripe/index.ts';
import { SANDBOX_QA } from './qa.ts';
import { SANDBOX_POSTS, SANDBOX_REPUTATION } from './community.ts';
import { SANDBOX_STRIPE_PRICES, SANDBOX_TIERS } from './tiers.ts';

// Sandbox-only credentials: the emulators accept exactly these, and nothing real uses them.
export const SANDBOX_SECRETS = {
  stripeSecretKey: 'sk_test_guildhall_sandbox',
  stripeWebhookSecret: 'whsec_guildhall_sandbox',
} as const;

export interface Sandbox {
  discord: DiscordEmulator;
  stripe: StripeEmulator;
  bot: BotProcess;
  /** The bot's HTTP listener (GET /healthz, POST /stripe/webhook). */
  httpUrl: string;
  databasePath: string;
  /** The environment the bot runs with, for CLIs (npm run reconcile, doctor) against the same sandbox. */
  env: Record<string, string>;
  /** The `startup` timings the bot logged when it became ready. */
  startup: { migrationsMs: number; loginMs: number; registerMs: number; totalMs: number };
  /**
   * True when the bot has processed every recorded Stripe event and applied every due outbox row:
   * read from its SQLite file (WAL lets this reader look while the bot writes).
   */
  botIsIdle(): boolean;
  /** SIGTERM to the bot (returns its exit code), then closes the emulators and removes the temp files. */
  stop(): Promise<number | null>;
}

export interface SandboxOptions {
  onDiscordRequest?: (req: RecordedRequest) => void;
  onBotLog?: (line: LogLine) => void;
  /** Extra environment for the bot, e.g. LOG_LEVEL. */
  env?: Record<string, string>;
}

/**
 * Both emulators on loopback, then the unchanged bot (`src/main.ts`) as a child process that
 * knows them only through DISCORD_API_URL, STRIPE_API_URL and a temporary SQLite file.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const discord = await startDiscordEmulator(sampleGuildOptions({ onRequest: options.onDiscordRequest, logger: () => undefined }));
  const stripe = await startStripeEmulator({
    secretKey: SANDBOX_SECRETS.stripeSecretKey,
    webhookSecret: SANDBOX_SECRETS.stripeWebhookSecret,
    prices: SANDBOX_STRIPE_PRICES,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-sandbox-'));
  const databasePath = path.join(dir, 'guildhall.sqlite');
  const tiersFile = path.join(dir, 'tiers.json');
  writeFileSync(tiersFile, JSON.stringify(SANDBOX_TIERS, null, 2));
  const qaFile = path.join(dir, 'qa.json');
  // Seconds, not hours, so the demo shows the unanswered-question reminder without waiting 12 hours.
  writeFileSync(qaFile, JSON.stringify({ ...SANDBOX_QA, reminderHours: 0.002, priorityTiers: { Pro: 0.002 } }, null, 2));
  const contentFile = path.join(dir, 'content.json');
  writeFileSync(contentFile, JSON.stringify(SANDBOX_POSTS, null, 2));
  const reputationFile = path.join(dir, 'reputation.json');
  writeFileSync(reputationFile, JSON.stringify(SANDBOX_REPUTATION, null, 2));
  const env = {
    DISCORD_TOKEN: SAMPLE.token,
    DISCORD_GUILD_ID: SAMPLE.guildId,
    DISCORD_API_URL: discord.apiUrl,
    STRIPE_SECRET_KEY: SANDBOX_SECRETS.stripeSecretKey,
    STRIPE_WEBHOOK_SECRET: SANDBOX_SECRETS.stripeWebhookSecret,
    STRIPE_API_URL: stripe.apiUrl,
    DATABASE_URL: databasePath,
    TIERS_FILE: tiersFile,
    QA_CHANNEL_ID: SAMPLE.channels.forum,
    QA_FILE: qaFile,
    QA_FOLLOW_UP_CRON: '*/2 * * * * *',
    CHALLENGE_CHANNEL_ID: SAMPLE.channels.challenges,
    CHALLENGE_CHAMPION_ROLE_ID: SAMPLE.roles.champion,
    CHALLENGE_CRON: '*/2 * * * * *',
    CONTENT_CHANNEL_ID: SAMPLE.channels.content,
    CONTENT_FILE: contentFile,
    REPUTATION_FILE: reputationFile,
    HTTP_PORT: '0',
    MOD_CHANNEL_ID: SAMPLE.channels.mods,
    OWNER_CHANNEL_ID: SAMPLE.channels.owners,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const bot = startBotProcess(env, options.onBotLog);
  let reader: SQLite.Database | undefined;
  const botIsIdle = () => {
    reader ??= new SQLite(databasePath, { readonly: true, fileMustExist: true });
    const { events } = reader.prepare('select count(*) as events from stripe_events where processed_at is null').get() as { events: number };
    const { ops } = reader.prepare("select count(*) as ops from outbox where status = 'pending' and next_attempt_at <= ?").get(Date.now()) as { ops: number };
    return events === 0 && ops === 0;
  };
  const stopAll = async () => {
    reader?.close();
    const code = await bot.stop();
    await Promise.all([discord.close(), stripe.close()]);
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  try {
    const ready = await bot.waitForLog((l) => l.msg === 'guildhall is ready');
    const httpUrl = `http://127.0.0.1:${String(ready.httpPort)}`;
    stripe.setWebhookUrl(`${httpUrl}/stripe/webhook`);
    return { discord, stripe, bot, httpUrl, databasePath, env, botIsIdle, startup: ready.startup as Sandbox['startup'], stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
