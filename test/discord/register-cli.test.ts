import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator } from '../../src/sandbox/discord/index.ts';
import { createContractRecorder, discordContractAvailable, loadDiscordContract } from '../rigs/discord-contract.ts';
import { testEnv } from '../rigs/env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('npm run register', () => {
  let emulator: DiscordEmulator | undefined;
  afterEach(() => emulator?.close());

  it('bulk-overwrites the guild commands without starting the bot', async () => {
    const contract = discordContractAvailable() ? createContractRecorder(await loadDiscordContract()) : undefined;
    emulator = await startDiscordEmulator(
      sampleGuildOptions({ logger: () => undefined, onRequest: (r) => contract?.record({ method: r.method, path: r.path, query: r.query, body: r.body }) }),
    );
    const env = { PATH: process.env.PATH, ...testEnv({ DISCORD_TOKEN: SAMPLE.token, DISCORD_GUILD_ID: SAMPLE.guildId, DISCORD_API_URL: emulator.apiUrl }) };
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/discord/register-cli.ts'], { cwd: ROOT, env, timeout: 20_000 });
    expect(stdout).toMatch(/Registered \d+ commands in guild \d+: .*about.*help/);
    expect(emulator.state.guildCommands.map((c) => c.name)).toEqual(expect.arrayContaining(['about', 'help']));
    expect(emulator.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(emulator.state.identifies).toHaveLength(0);
    contract?.assertClean();
  });

  it('exits 1 with the reason when Discord refuses the token', async () => {
    emulator = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined }));
    const env = { PATH: process.env.PATH, ...testEnv({ DISCORD_TOKEN: 'wrong-token', DISCORD_GUILD_ID: SAMPLE.guildId, DISCORD_API_URL: emulator.apiUrl }) };
    const result = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/discord/register-cli.ts'], { cwd: ROOT, env, timeout: 20_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Could not register commands');
    expect(result.stderr).not.toContain('wrong-token');
  });
});
