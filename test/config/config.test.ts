import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { testEnv } from '../rigs/env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('parses a complete environment into a frozen object with defaults', () => {
    const config = parseConfig(testEnv());
    expect(Object.isFrozen(config)).toBe(true);
    expect(config).toMatchObject({
      discordApiUrl: 'https://discord.com/api',
      httpPort: 3000,
      logLevel: 'info',
      reportTimezone: 'UTC',
      stripeApi: undefined,
    });
    expect(config.databasePath).toMatch(/data[/\\]guildhall\.sqlite$/);
  });

  it('hands STRIPE_API_URL to stripe-node as host, port and protocol', () => {
    const config = parseConfig(testEnv({ STRIPE_API_URL: 'http://127.0.0.1:12111', DISCORD_API_URL: 'http://127.0.0.1:9/api/' }));
    expect(config.stripeApi).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(config.discordApiUrl).toBe('http://127.0.0.1:9/api');
  });

  it('reports one line per problem, naming the variable and the fix', () => {
    const problems = problemsOf({ DISCORD_GUILD_ID: 'my server', HTTP_PORT: '70000', REPORT_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'loud', STRIPE_SECRET_KEY: 'pk_test_123' });
    const byVariable = Object.fromEntries(problems.map((p) => [p.split(' ')[0], p]));
    expect(Object.keys(byVariable).sort()).toEqual(
      ['DISCORD_GUILD_ID', 'DISCORD_TOKEN', 'HTTP_PORT', 'LOG_LEVEL', 'MOD_CHANNEL_ID', 'OWNER_CHANNEL_ID', 'REPORT_TIMEZONE', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'].sort(),
    );
    expect(problems).toHaveLength(9);
    expect(byVariable.DISCORD_TOKEN).toContain('Reset Token');
    expect(byVariable.DISCORD_GUILD_ID).toContain('Copy Server ID');
    expect(byVariable.STRIPE_SECRET_KEY).toContain('sk_test_');
    expect(byVariable.REPORT_TIMEZONE).toContain('Europe/Berlin');
  });

  it('treats empty values as unset, so defaults apply', () => {
    expect(parseConfig(testEnv({ HTTP_PORT: '', LOG_LEVEL: ' ' })).httpPort).toBe(3000);
  });

  it('never echoes a secret in its error lines', () => {
    const problems = problemsOf(testEnv({ STRIPE_SECRET_KEY: 'pk_live_thisIsAPublishableKeyNotSecret', STRIPE_WEBHOOK_SECRET: 'notawhsec_value_123' }));
    expect(problems.join('\n')).not.toContain('pk_live_thisIsAPublishableKeyNotSecret');
    expect(problems.join('\n')).not.toContain('notawhsec_value_123');
  });

  it('every variable the schema knows is documented in .env.example, and only those', () => {
    const documented = [...readFileSync(path.join(ROOT, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const source = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
    const known = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(known.length).toBeGreaterThan(10);
    expect(new Set(documented)).toEqual(new Set(known));
  });

  it('stops `npm start` with exit code 1 and one line per problem', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'guildhall-cfg-'));
    // A .env in the working directory is read too; a bad port there must be reported.
    writeFileSync(path.join(cwd, '.env'), 'HTTP_PORT=not-a-port\n');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/main.ts')], { cwd, env, encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toContain('Guildhall cannot start');
    expect(lines.slice(1).map((l) => l.trim().split(' ')[0])).toEqual(
      expect.arrayContaining(['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'HTTP_PORT', 'MOD_CHANNEL_ID', 'OWNER_CHANNEL_ID']),
    );
    expect(lines).toHaveLength(8);
  });
});
