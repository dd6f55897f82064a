import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../../src/sandbox/bot-process.ts';
import { SAMPLE, sampleGuildOptions, snowflakeTimestamp, startDiscordEmulator, type DiscordEmulator } from '../../src/sandbox/discord/index.ts';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_STRIPE_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { TEST_SECRETS } from '../rigs/env.ts';

const { ada, brian } = SAMPLE.users;

describe('activity capture: SIGTERM flushes the buffer (the real bot process, src/main.ts)', () => {
  let discord: DiscordEmulator | undefined;
  let stripe: StripeEmulator | undefined;
  let bot: BotProcess | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-sigterm-'));
  afterAll(async () => {
    await bot?.stop();
    await discord?.close();
    await stripe?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('events received just before SIGTERM are in the database after a clean exit, and an open voice session is kept', async () => {
    discord = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined }));
    stripe = await startStripeEmulator({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, prices: SANDBOX_STRIPE_PRICES });
    const databasePath = path.join(dir, 'bot.sqlite');
    const tiersFile = path.join(dir, 'tiers.json');
    writeFileSync(tiersFile, JSON.stringify(SANDBOX_TIERS));
    bot = startBotProcess({
      DISCORD_TOKEN: SAMPLE.token,
      DISCORD_GUILD_ID: SAMPLE.guildId,
      DISCORD_API_URL: discord.apiUrl,
      STRIPE_SECRET_KEY: TEST_SECRETS.STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.apiUrl,
      DATABASE_URL: databasePath,
      TIERS_FILE: tiersFile,
      HTTP_PORT: '0',
      MOD_CHANNEL_ID: SAMPLE.channels.mods,
      OWNER_CHANNEL_ID: SAMPLE.channels.owners,
      LOG_LEVEL: 'info',
    });
    await bot.waitForLog((l) => l.msg === 'guildhall is ready');

    await discord.joinVoice(brian, SAMPLE.channels.voice);
    const sent = [];
    for (let i = 0; i < 40; i++) sent.push(await discord.postMessage({ channelId: SAMPLE.channels.general, authorId: ada, content: `message ${i}` }));
    // At once: well inside the 250 ms flush window, so these wait in the buffer when the signal lands.
    expect(await bot.stop()).toBe(0);

    const stopped = bot.logs.find((l) => l.msg === 'activity capture stopped');
    expect(stopped, 'the app must stop the activity capture on shutdown (see docs/activity.md, "Wiring")').toBeDefined();
    const db = new SQLite(databasePath, { readonly: true });
    try {
      const messages = db.prepare("select user_id, at from activity_events where kind = 'message' order by at, id").all();
      expect(messages).toEqual(sent.map((m) => ({ user_id: ada, at: snowflakeTimestamp(m.id) })));
      expect(db.prepare("select sum(count) as n from activity_hourly where kind = 'message'").get()).toEqual({ n: 40 });
      // Still in voice when the bot stopped: kept open (seen now), so a quick restart continues it.
      const open = db.prepare('select user_id, channel_id, started_at, seen_at from voice_sessions_open').all() as { user_id: string; seen_at: number; started_at: number }[];
      expect(open).toMatchObject([{ user_id: brian, channel_id: SAMPLE.channels.voice }]);
      expect(open[0]!.seen_at).toBeGreaterThanOrEqual(open[0]!.started_at);
    } finally {
      db.close();
    }
  }, 90_000);
});
