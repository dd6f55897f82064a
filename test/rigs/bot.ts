import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig, secretsOf, type Config } from '../../src/config.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';
import { createContractRecorder, discordContractAvailable, discordSpecPath, loadDiscordContract, type ContractRecorder } from './discord-contract.ts';
import { testEnv } from './env.ts';
import { captureLogs, type CapturedLogs } from './logs.ts';

export interface BotRig {
  app: App;
  config: Config;
  discord: DiscordEmulator;
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
export async function startBotRig(options: { commandsDir?: string; emulator?: Partial<DiscordEmulatorOptions>; env?: Record<string, string> } = {}): Promise<BotRig> {
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
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bot-'));
  const config = parseConfig({
    ...env,
    DISCORD_GUILD_ID: SAMPLE.guildId,
    MOD_CHANNEL_ID: SAMPLE.channels.mods,
    OWNER_CHANNEL_ID: SAMPLE.channels.owners,
    DISCORD_API_URL: discord.apiUrl,
    DATABASE_URL: path.join(dir, 'bot.sqlite'),
    HTTP_PORT: '0',
  });
  const logs = captureLogs(secretsOf(config));
  const app = await createApp(config, { logger: logs.logger, commandsDir: options.commandsDir });
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    await discord.close();
    throw error;
  }
  return {
    app,
    config,
    discord,
    logs,
    contract,
    httpUrl: `http://127.0.0.1:${app.http!.port}`,
    async stop() {
      await app.stop();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
      contract?.assertClean();
    },
  };
}

export const TEST_COMMANDS_DIR = path.resolve(import.meta.dirname, '../fixtures/commands/ok');
