import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import cron from 'node-cron';
import { z } from 'zod';

/**
 * The one place that reads the environment. Every key here is documented in .env.example.
 * Each schema carries a `hint` so a startup failure tells the operator how to fix it.
 */
const snowflake = (hint: string) =>
  z.string({ error: `is missing. ${hint}` }).trim().regex(/^\d{17,20}$/, `must be a Discord id (17-20 digits). ${hint}`);

const secret = (hint: string, pattern?: RegExp) => {
  const base = z.string({ error: `is missing. ${hint}` }).trim().min(1, `is empty. ${hint}`);
  return pattern ? base.regex(pattern, `does not look right. ${hint}`) : base;
};

const httpUrl = (hint: string) =>
  z
    .string()
    .trim()
    .url(`must be an http(s) URL. ${hint}`)
    .refine((u) => /^https?:\/\//.test(u), `must start with http:// or https://. ${hint}`)
    .transform((u) => u.replace(/\/+$/, ''));

const schema = z.object({
  DISCORD_TOKEN: secret('Copy it from the Discord Developer Portal: your application -> Bot -> Reset Token.'),
  DISCORD_GUILD_ID: snowflake('Enable Developer Mode in Discord, right-click your server -> Copy Server ID.'),
  DISCORD_API_URL: httpUrl('Leave it unset for the real Discord; the sandbox sets it to its local emulator.').default(
    'https://discord.com/api',
  ),
  STRIPE_SECRET_KEY: secret('Copy it from Stripe Dashboard -> Developers -> API keys (sk_live_… or sk_test_…, or a restricted rk_… key).', /^(sk|rk)_(test|live)_/),
  STRIPE_WEBHOOK_SECRET: secret('Copy the signing secret (whsec_…) from Stripe Dashboard -> Developers -> Webhooks -> your endpoint.', /^whsec_/),
  STRIPE_API_URL: httpUrl('Leave it unset for the real Stripe; the sandbox sets it to its local emulator, e.g. http://127.0.0.1:12111.').optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1, 'is empty. Give a SQLite file path such as data/guildhall.sqlite, or leave it unset.')
    .default('data/guildhall.sqlite'),
  HTTP_PORT: z.coerce
    .number({ error: 'must be a whole number from 0 to 65535, e.g. 3000.' })
    .int('must be a whole number from 0 to 65535, e.g. 3000.')
    .min(0, 'must be a whole number from 0 to 65535, e.g. 3000.')
    .max(65535, 'must be a whole number from 0 to 65535, e.g. 3000.')
    .default(3000),
  MOD_CHANNEL_ID: snowflake("Right-click the moderators' channel -> Copy Channel ID."),
  OWNER_CHANNEL_ID: snowflake("Right-click the owners' channel (where the weekly digest goes) -> Copy Channel ID."),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent.',
    })
    .default('info'),
  REPORT_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'is not an IANA time zone. Use a name such as UTC, Europe/Berlin or America/New_York.'),
  HOMEPAGE_URL: httpUrl("Your community's website or docs, linked from /about. Leave it unset to show none.").optional(),
  TIERS_FILE: z.string().trim().min(1, 'is empty. Give the path of your tiers JSON file (see tiers.example.json).').default('tiers.json'),
  GRACE_PERIOD_HOURS: z.coerce
    .number({ error: 'must be a number of hours, e.g. 72.' })
    .min(0, 'must be 0 or more hours, e.g. 72.')
    .max(24 * 60, 'must be at most 1440 hours (60 days).')
    .default(72),
  CHECKOUT_SUCCESS_URL: httpUrl('Where Stripe Checkout sends a member after paying, e.g. https://discord.com/channels/YOUR_SERVER_ID.').optional(),
  CHECKOUT_CANCEL_URL: httpUrl('Where Stripe Checkout sends a member who cancels, e.g. your community page.').optional(),
  PORTAL_RETURN_URL: httpUrl("Where the Billing Portal's back link goes, e.g. https://discord.com/channels/YOUR_SERVER_ID.").optional(),
  QA_CHANNEL_ID: snowflake('Right-click the Q&A forum (or text) channel -> Copy Channel ID. Leave it unset to turn Q&A off.').optional(),
  QA_FILE: z.string().trim().min(1, 'is empty. Give the path of your Q&A file (see qa.example.json).').default('qa.json'),
  QA_FOLLOW_UP_CRON: cronExpression('How often Q&A reminders, nudges, stale closing and archiving run, e.g. "*/10 * * * *".').default('*/10 * * * *'),
  RECONCILE_CRON: cronExpression('How often reconciliation runs, e.g. "0 * * * *" (hourly).').default('0 * * * *'),
  AUDIT_CRON: cronExpression("How often the role audit is posted to the owners' channel, e.g. \"0 * * * *\" (hourly).").default('0 * * * *'),
  CHALLENGE_CHANNEL_ID: snowflake('Right-click the channel where challenges are announced -> Copy Channel ID. Leave it unset to turn challenges off.').optional(),
  CHALLENGE_CHAMPION_ROLE_ID: snowflake("Right-click the monthly champion's role -> Copy Role ID. Leave it unset to give no role.").optional(),
  CHALLENGE_CRON: cronExpression('How often challenge starts and deadlines are checked, e.g. "* * * * *" (every minute).').default('* * * * *'),
  CONTENT_CHANNEL_ID: snowflake('Right-click the channel where approved posts are published -> Copy Channel ID. Leave it unset to turn member posts off.').optional(),
  CONTENT_FILE: z.string().trim().min(1, 'is empty. Give the path of your content file (see content.example.json), or leave it unset.').default('content.json'),
  REPUTATION_FILE: z.string().trim().min(1, 'is empty. Give the path of your reputation file (see reputation.example.json), or leave it unset.').default('reputation.json'),
  ACTIVITY_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days, e.g. 180.' })
    .int('must be a whole number of days, e.g. 180.')
    .min(56, 'must be at least 56 days: the digest reads 8 weeks of raw activity.')
    .max(3650, 'must be at most 3650 days.')
    .default(180),
  DIGEST_CRON: cronExpression('When the weekly digest is posted, in REPORT_TIMEZONE, e.g. "0 9 * * 1" (Monday 09:00).').default('0 9 * * 1'),
});

function cronExpression(hint: string) {
  return z
    .string()
    .trim()
    .refine((v) => cron.validate(v), `is not a cron expression. ${hint}`);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Parsed = z.infer<typeof schema>;

export interface Config {
  readonly discordToken: string;
  readonly guildId: string;
  readonly discordApiUrl: string;
  readonly stripeSecretKey: string;
  readonly stripeWebhookSecret: string;
  readonly stripeApi: { readonly host: string; readonly port: number; readonly protocol: 'http' | 'https' } | undefined;
  readonly databasePath: string;
  readonly httpPort: number;
  readonly modChannelId: string;
  readonly ownerChannelId: string;
  readonly logLevel: Parsed['LOG_LEVEL'];
  readonly reportTimezone: string;
  readonly homepageUrl: string | undefined;
  readonly tiersFile: string;
  readonly gracePeriodHours: number;
  /** Stripe Checkout's success and cancel URLs, and the Billing Portal's return URL. */
  readonly urls: { readonly checkoutSuccess: string; readonly checkoutCancel: string; readonly portalReturn: string };
  /** Q&A forum or text channel; undefined turns Q&A off. */
  readonly qaChannelId: string | undefined;
  readonly qaFile: string;
  readonly qaFollowUpCron: string;
  readonly reconcileCron: string;
  readonly auditCron: string;
  /** Challenge announcements and results; undefined turns challenges off. */
  readonly challengeChannelId: string | undefined;
  readonly challengeChampionRoleId: string | undefined;
  readonly challengeCron: string;
  /** Where approved posts are published; undefined turns member posts off. */
  readonly contentChannelId: string | undefined;
  readonly contentFile: string;
  readonly reputationFile: string;
  readonly activityRetentionDays: number;
  /** Evaluated in reportTimezone. */
  readonly digestCron: string;
}

/** Raised when the environment is unusable; `problems` holds one operator-facing line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings in .env ("FOO=") mean "not set", so optional values fall back to their defaults.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const e = result.data;
  return Object.freeze({
    discordToken: e.DISCORD_TOKEN,
    guildId: e.DISCORD_GUILD_ID,
    discordApiUrl: e.DISCORD_API_URL,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripeApi: e.STRIPE_API_URL ? Object.freeze(stripeEndpoint(e.STRIPE_API_URL)) : undefined,
    databasePath: e.DATABASE_URL === ':memory:' ? ':memory:' : resolve(e.DATABASE_URL),
    httpPort: e.HTTP_PORT,
    modChannelId: e.MOD_CHANNEL_ID,
    ownerChannelId: e.OWNER_CHANNEL_ID,
    logLevel: e.LOG_LEVEL,
    reportTimezone: e.REPORT_TIMEZONE,
    homepageUrl: e.HOMEPAGE_URL,
    tiersFile: resolve(e.TIERS_FILE),
    gracePeriodHours: e.GRACE_PERIOD_HOURS,
    // Back to the community's server by default: where a member wants to be after paying.
    urls: Object.freeze({
      checkoutSuccess: e.CHECKOUT_SUCCESS_URL ?? `https://discord.com/channels/${e.DISCORD_GUILD_ID}`,
      checkoutCancel: e.CHECKOUT_CANCEL_URL ?? `https://discord.com/channels/${e.DISCORD_GUILD_ID}`,
      portalReturn: e.PORTAL_RETURN_URL ?? `https://discord.com/channels/${e.DISCORD_GUILD_ID}`,
    }),
    qaChannelId: e.QA_CHANNEL_ID,
    qaFile: resolve(e.QA_FILE),
    qaFollowUpCron: e.QA_FOLLOW_UP_CRON,
    reconcileCron: e.RECONCILE_CRON,
    auditCron: e.AUDIT_CRON,
    challengeChannelId: e.CHALLENGE_CHANNEL_ID,
    challengeChampionRoleId: e.CHALLENGE_CHAMPION_ROLE_ID,
    challengeCron: e.CHALLENGE_CRON,
    contentChannelId: e.CONTENT_CHANNEL_ID,
    contentFile: resolve(e.CONTENT_FILE),
    reputationFile: resolve(e.REPUTATION_FILE),
    activityRetentionDays: e.ACTIVITY_RETENTION_DAYS,
    digestCron: e.DIGEST_CRON,
  });
}

function stripeEndpoint(url: string) {
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol } as const;
}

/** Secret values, so the logger can scrub them from any line, wherever they might hide. */
export function secretsOf(config: Config): string[] {
  return [config.discordToken, config.stripeSecretKey, config.stripeWebhookSecret];
}

/**
 * Entry points (bot, migrate, register) call this once: it merges `.env` into the environment
 * (real environment variables win) and exits with code 1 and one line per problem when unusable.
 */
export function loadConfigOrExit(): Config {
  loadDotenv({ quiet: true });
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write('Guildhall cannot start: fix these settings in .env or the environment (see .env.example).\n');
    for (const line of error.problems) process.stderr.write(`  ${line}\n`);
    process.exit(1);
  }
}
