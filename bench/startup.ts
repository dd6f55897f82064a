import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlashCommandBuilder } from 'discord.js';
import { WebSocket } from 'ws';
import { openDatabase } from '../src/db/database.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator } from '../src/sandbox/discord/index.ts';
import { startSandbox } from '../src/sandbox/harness.ts';
import { figure, type Figure } from './figures.ts';

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/** Startup to ready under the sandbox, split into its phases, each beside a bare-minimum baseline. */
export async function benchStartup(runs: number): Promise<Figure[]> {
  const phases = { migrationsMs: [] as number[], loginMs: [] as number[], registerMs: [] as number[], spawnToReady: [] as number[] };
  const base = { sqlite: [] as number[], identify: [] as number[], put: [] as number[], boot: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const sandbox = await startSandbox();
    phases.spawnToReady.push(performance.now() - t0);
    phases.migrationsMs.push(sandbox.startup.migrationsMs);
    phases.loginMs.push(sandbox.startup.loginMs);
    phases.registerMs.push(sandbox.startup.registerMs);
    await sandbox.stop();
    base.sqlite.push(await bareSqlite());
    const raw = await bareDiscord();
    base.identify.push(raw.identifyMs);
    base.put.push(raw.putMs);
    base.boot.push(await bareProcessBoot());
  }
  return [
    figure('startup.migrations', phases.migrationsMs, 'ms', 'open SQLite file + create one table', base.sqlite),
    figure('startup.login', phases.loginMs, 'ms', 'raw ws: GET /gateway/bot, HELLO, IDENTIFY, READY, GUILD_CREATE', base.identify),
    figure('startup.command_registration', phases.registerMs, 'ms', 'raw fetch: the same PUT of commands', base.put),
    figure('startup.spawn_to_ready', phases.spawnToReady, 'ms', 'spawn tsx on an empty script until exit', base.boot),
  ];
}

async function bareSqlite(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-'));
  const t0 = performance.now();
  const db = openDatabase(path.join(dir, 'b.sqlite'));
  await db.schema.createTable('t').addColumn('id', 'text', (c) => c.primaryKey()).execute();
  const ms = performance.now() - t0;
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** What any client must do to log in and register, with no library in the way. */
async function bareDiscord(): Promise<{ identifyMs: number; putMs: number }> {
  const emulator = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined }));
  const auth = { authorization: `Bot ${SAMPLE.token}`, 'content-type': 'application/json' };
  try {
    const t0 = performance.now();
    const { url } = (await (await fetch(`${emulator.apiUrl}/v10/gateway/bot`, { headers: auth })).json()) as { url: string };
    const ws = new WebSocket(`${url}?v=10&encoding=json`);
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const p = JSON.parse(String(raw)) as { op: number; t?: string };
        if (p.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: SAMPLE.token, intents: 3, properties: { os: 'linux', browser: 'bench', device: 'bench' } } }));
        if (p.t === 'GUILD_CREATE') resolve();
      });
    });
    const identifyMs = performance.now() - t0;
    ws.close();
    const body = ['about', 'help'].map((n) => new SlashCommandBuilder().setName(n).setDescription(n).toJSON());
    const t1 = performance.now();
    await fetch(`${emulator.apiUrl}/v10/applications/${SAMPLE.applicationId}/guilds/${SAMPLE.guildId}/commands`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
    return { identifyMs, putMs: performance.now() - t1 };
  } finally {
    await emulator.close();
  }
}

async function bareProcessBoot(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(TSX, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - t0;
}
