import { once } from 'node:events';
import { Client, type ClientOptions } from 'discord.js';
import { afterEach } from 'vitest';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';

/**
 * The sample guild's Discord emulator and a real discord.js client against it, for the emulator's
 * own tests. Whatever a test starts through it is destroyed after that test (client first: a
 * client whose server vanished keeps trying to reconnect).
 */
export function emulatorSession() {
  let emulator: DiscordEmulator | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.destroy();
    await emulator?.close();
    client = undefined;
    emulator = undefined;
  });
  const session = {
    async start(overrides: Partial<DiscordEmulatorOptions> = {}): Promise<DiscordEmulator> {
      emulator = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined, ...overrides }));
      return emulator;
    },
    /** A client for `emu` (not logged in), destroyed after the test. */
    client(emu: DiscordEmulator, options: Omit<ClientOptions, 'rest'>): Client {
      client = new Client({ ...options, rest: { api: emu.apiUrl } });
      return client;
    },
    /** A client logged in with the sample token, ready (guild cached); `setup` runs before login. */
    async login(emu: DiscordEmulator, options: Omit<ClientOptions, 'rest'>, setup?: (c: Client) => void): Promise<Client> {
      const c = session.client(emu, options);
      setup?.(c);
      const ready = once(c, 'clientReady');
      await c.login(SAMPLE.token);
      await ready;
      return c;
    },
  };
  return session;
}
