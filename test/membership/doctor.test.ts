import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OverwriteType, PermissionFlagsBits, type APIRole } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type DiscordEmulator } from '../../src/sandbox/discord/index.ts';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_PRICES, SANDBOX_STRIPE_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { ALL_PERMISSIONS, basePermissions, channelPermissions } from '../../src/membership/doctor-permissions.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { createContractRecorder, discordContractAvailable, loadDiscordContract } from '../rigs/discord-contract.ts';
import { TEST_SECRETS, testEnv } from '../rigs/env.ts';
import type { Embed } from './commands-fixtures.ts';

const { ViewChannel: VIEW, SendMessages: SEND, ManageRoles: MANAGE_ROLES, Administrator: ADMIN } = PermissionFlagsBits;
const role = (id: string, permissions: bigint, position: number) => ({ id, name: id, permissions: String(permissions), position }) as APIRole;

describe('permission arithmetic', () => {
  const guild = { id: 'g', ownerId: 'owner', roles: [role('g', VIEW | SEND, 0), role('mod', MANAGE_ROLES, 2), role('admin', ADMIN, 3), role('muted', 0n, 1)] };
  const bot = { userId: 'bot', roleIds: ['mod'] };

  it('adds @everyone and the roles held; the owner and administrators get everything', () => {
    expect(basePermissions(guild, bot)).toBe(VIEW | SEND | MANAGE_ROLES);
    expect(basePermissions(guild, { userId: 'owner', roleIds: [] })).toBe(ALL_PERMISSIONS);
    expect(basePermissions(guild, { userId: 'x', roleIds: ['admin'] })).toBe(ALL_PERMISSIONS);
  });

  it("applies @everyone's overwrite, then the roles' together, then the member's own", () => {
    const ow = (id: string, type: OverwriteType, allow: bigint, deny: bigint) => ({ id, type, allow: String(allow), deny: String(deny) });
    const hidden = [ow('g', OverwriteType.Role, 0n, VIEW)];
    expect(channelPermissions(guild, bot, hidden) & VIEW).toBe(0n);
    expect(channelPermissions(guild, bot, [...hidden, ow('mod', OverwriteType.Role, VIEW, 0n)]) & VIEW).toBe(VIEW);
    // Role overwrites combine: an allow on one held role beats a deny on another.
    expect(channelPermissions(guild, { userId: 'bot', roleIds: ['mod', 'muted'] }, [ow('muted', OverwriteType.Role, 0n, SEND), ow('mod', OverwriteType.Role, SEND, 0n)]) & SEND).toBe(SEND);
    expect(channelPermissions(guild, bot, [ow('mod', OverwriteType.Role, SEND, 0n), ow('bot', OverwriteType.Member, 0n, SEND)]) & SEND).toBe(0n);
    expect(channelPermissions(guild, { userId: 'x', roleIds: ['admin'] }, hidden)).toBe(ALL_PERMISSIONS);
  });
});

const checkLines = (text: string) => text.split('\n').filter((l) => /^(✅|❌)/.test(l));

describe('/doctor', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const doctor = async (userId: string = SAMPLE.ownerId) => {
    const seen = await rig!.discord.runCommand({ userId, name: 'doctor' }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    return { seen, embed: (seen.embeds[0] ?? {}) as Embed };
  };

  it('passes every check on the sandbox guild, and is for administrators only', async () => {
    rig = await startBotRig();
    const { embed } = await doctor();
    expect(embed.title).toBe('Guildhall doctor: all good');
    const lines = checkLines(embed.description!);
    expect(lines).toHaveLength(1 + 3 + 2 + 1 + 4 + 1);
    expect(lines.every((l) => l.startsWith('✅'))).toBe(true);
    expect(lines).toContain('✅ Tier "Pro": its role "Pro" exists and sits below Guildhall\'s highest role');
    expect(lines).toContain(`✅ Price ${SANDBOX_PRICES.founder} (Founder, sold by /join) exists and is one-time`);
    expect(embed.description).toMatch(/All 12 checks passed\.$/);
    const refused = await doctor(SAMPLE.users.ada);
    expect(refused.seen.content).toBe("You don't have permission to do that.");
  });

  it('fails with the fix for a tier role above the bot, a hidden channel, a missing and a mistyped price', async () => {
    rig = await startBotRig({
      tiers: [
        { ...SANDBOX_TIERS[0], roleId: SAMPLE.roles.admin, priceIds: [SANDBOX_PRICES.supporter] },
        { ...SANDBOX_TIERS[1], priceIds: [SANDBOX_PRICES.pro, 'price_gone'] },
        { ...SANDBOX_TIERS[2], priceIds: [SANDBOX_PRICES.supporterYearly] },
      ],
    });
    rig.discord.state.channels.get(SAMPLE.channels.mods)!.permission_overwrites = [{ id: SAMPLE.guildId, type: 0, allow: '0', deny: String(VIEW) }];
    const { embed } = await doctor();
    expect(embed.title).toBe('Guildhall doctor: needs attention');
    const text = embed.description!;
    expect(text).toContain(
      '❌ Tier "Supporter": its role "Admin" exists and sits below Guildhall\'s highest role\n' +
        '   ↳ Server Settings -> Roles: move the "Guildhall" role above "Admin" (a bot can only manage roles below its own highest role).',
    );
    expect(text).toContain('❌ MOD_CHANNEL_ID (#mods) exists and Guildhall can post there\n   ↳ Edit #mods -> Permissions: allow View Channel for the "Guildhall" role.');
    expect(text).toContain('✅ OWNER_CHANNEL_ID (#owners) exists and Guildhall can post there');
    expect(text).toContain('❌ Price price_gone (Pro) exists and is recurring\n   ↳ No such price in this Stripe account.');
    expect(text).toContain(`❌ Price ${SANDBOX_PRICES.supporterYearly} (Founder, sold by /join) exists and is one-time\n   ↳ It is recurring, but Founder is a lifetime tier`);
    expect(text).toMatch(/4 of 12 checks failed\.$/);
  });
});

describe('npm run doctor', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  const run = promisify(execFile);
  let discord: DiscordEmulator;
  let stripe: StripeEmulator;
  let dir: string;
  let contract: ReturnType<typeof createContractRecorder> | undefined;
  beforeAll(async () => {
    if (discordContractAvailable()) contract = createContractRecorder(await loadDiscordContract());
    discord = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined, onRequest: (r) => contract?.record({ method: r.method, path: r.path, query: r.query, body: r.body }) }));
    stripe = await startStripeEmulator({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, prices: SANDBOX_STRIPE_PRICES });
    dir = mkdtempSync(path.join(tmpdir(), 'guildhall-doctor-'));
  });
  afterAll(async () => {
    await Promise.all([discord.close(), stripe.close()]);
    rmSync(dir, { recursive: true, force: true });
    contract?.assertClean();
  });

  const doctor = (tiers: unknown, env: Record<string, string> = {}) => {
    const file = path.join(dir, `tiers-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof tiers === 'string' ? tiers : JSON.stringify(tiers));
    const vars = testEnv({
      DISCORD_TOKEN: SAMPLE.token, DISCORD_GUILD_ID: SAMPLE.guildId, DISCORD_API_URL: discord.apiUrl, STRIPE_API_URL: stripe.apiUrl,
      MOD_CHANNEL_ID: SAMPLE.channels.mods, OWNER_CHANNEL_ID: SAMPLE.channels.owners, TIERS_FILE: file, ...env,
    });
    return run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/membership/doctor-cli.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, ...vars }, timeout: 30_000 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  };

  it('prints every check and exits 0 on a healthy setup, over REST only', async () => {
    const { code, stdout } = await doctor(SANDBOX_TIERS);
    expect(stdout).toMatch(/All 12 checks passed\./);
    expect(code).toBe(0);
    expect(discord.state.identifies).toHaveLength(0);
  });

  it('exits 1 and prints the fix when a tier role sits above the bot', async () => {
    const { code, stdout } = await doctor([{ ...SANDBOX_TIERS[1], roleId: SAMPLE.roles.admin }]);
    expect(code).toBe(1);
    expect(stdout).toContain('❌ Tier "Pro": its role "Admin" exists');
    expect(stdout).toContain('move the "Guildhall" role above "Admin"');
  });

  it('exits 1 when Stripe refuses the key, without printing the key', async () => {
    const key = 'sk_test_wrongkey_0123456789';
    const { code, stdout } = await doctor(SANDBOX_TIERS, { STRIPE_SECRET_KEY: key });
    expect(code).toBe(1);
    expect(stdout).toMatch(/❌ Stripe accepts STRIPE_SECRET_KEY: .*\n {3}↳ Copy the secret key again/);
    expect(stdout).not.toContain(key);
    expect(stdout).not.toContain('Price ');
  });

  it('exits 1 on an invalid tiers file, naming the problem', async () => {
    const { code, stdout } = await doctor('[{"name":"Pro"}]');
    expect(code).toBe(1);
    expect(stdout).toMatch(/❌ The tiers file .* is valid\n {3}↳ tier 1 \("Pro"\) roleId/);
  });
});
