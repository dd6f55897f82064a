import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type EmulatorMember } from '../src/sandbox/discord/index.ts';
import { startStripeEmulator } from '../src/sandbox/stripe/index.ts';
import { SANDBOX_PRICES, SANDBOX_STRIPE_PRICES } from '../src/sandbox/tiers.ts';
import { figure, type Figure } from './figures.ts';

const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CHILD = fileURLToPath(new URL('./reconcile-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const KEY = 'sk_test_bench_reconcile';

interface ChildResult {
  mode: string;
  wallMs: number;
  maxRssMb: number;
  summary?: { subscriptions: number; members: number; checked: number; granted: number; revoked: number; pending: number; failed: number };
  listed: number;
}

/**
 * Reconciliation of N subscriptions (default 100k; BENCH_RECONCILE_N scales it) and about as many
 * guild members. Both emulators run here; the bot side runs in a child process (reconcile-child.ts)
 * so its peak RSS is measured alone. Goals: Stripe requests ≤ 1.05 × ceil(N/100), peak RSS ≤ 300 MB.
 *
 * The community: member i pays Supporter or Pro and mostly holds that role already. 1% lost the
 * role by hand (→ add), 1% canceled but still hold it (→ remove), 1% pay but are not in the server
 * (→ pending), and N/100 non-paying members, a tenth of them with a Pro role given by hand (→ remove).
 */
export async function benchReconcile(n = Number(process.env.BENCH_RECONCILE_N ?? 100_000)): Promise<Figure[]> {
  const userId = (i: number) => String(1_500_000_000_000_000_000n + BigInt(i));
  const stripe = await startStripeEmulator({ secretKey: KEY, webhookSecret: 'whsec_bench', prices: SANDBOX_STRIPE_PRICES });
  const members: EmulatorMember[] = [];
  for (let i = 0; i < n; i++) {
    const pro = i % 2 === 1;
    stripe.seedSubscription({ priceId: pro ? SANDBOX_PRICES.pro : SANDBOX_PRICES.supporter, status: i % 100 === 50 ? 'canceled' : 'active', metadata: { discord_user_id: userId(i) } });
    if (i % 100 === 99) continue;
    members.push({ user: { id: userId(i), username: `member${i}` }, roles: i % 100 === 7 ? [] : [pro ? SAMPLE.roles.pro : SAMPLE.roles.member] });
  }
  for (let j = 0; j < Math.ceil(n / 100); j++) {
    members.push({ user: { id: userId(n + j), username: `guest${j}` }, roles: j % 10 === 3 ? [SAMPLE.roles.pro, SAMPLE.roles.moderator] : [] });
  }
  const discord = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined, members }));
  const guildSize = discord.state.members.size;
  members.length = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-reconcile-'));
  const child = async (mode: string, db: string): Promise<ChildResult> => {
    const env = { PATH: process.env.PATH, BENCH_DB: path.join(dir, db), STRIPE_API_URL: stripe.apiUrl, STRIPE_SECRET_KEY: KEY, DISCORD_API_URL: discord.apiUrl, DISCORD_TOKEN: SAMPLE.token, DISCORD_GUILD_ID: SAMPLE.guildId };
    const { stdout } = await run(TSX, [CHILD, mode], { cwd: ROOT, env, timeout: 30 * 60_000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  };
  const listRequests = () => stripe.requests.filter((r) => r.method === 'GET' && r.path === '/v1/subscriptions').length;
  try {
    const idle = await child('idle', 'idle.sqlite');
    const list = await child('list', 'list.sqlite');
    const [stripeBefore, discordBefore] = [listRequests(), discord.requests.length];
    const result = await child('reconcile', 'reconcile.sqlite');
    const stripeRequests = listRequests() - stripeBefore;
    const memberRequests = discord.requests.slice(discordBefore).filter((r) => r.method === 'GET' && r.path.endsWith(`/guilds/${SAMPLE.guildId}/members`)).length;
    process.stderr.write(`  reconcile of ${n} subscriptions, ${guildSize} members: ${JSON.stringify(result.summary)}\n`);
    const label = `${n} subs, ${guildSize} members`;
    return [
      figure(`reconcile.stripe_requests (${label}; goal ≤ 1.05× baseline)`, [stripeRequests], 'requests', `ceil(${n}/100) pages`, [Math.ceil(n / 100)]),
      figure('reconcile.discord_member_requests', [memberRequests], 'requests', `floor(${guildSize}/1000)+1 pages`, [Math.floor(guildSize / 1000) + 1]),
      figure('reconcile.peak_rss (goal ≤ 300 MB absolute)', [result.maxRssMb], 'MB', 'same imports + opened db, idle', [idle.maxRssMb]),
      figure('reconcile.wall_time', [result.wallMs / 1000], 's', `raw stripe-node list of all ${list.listed} subscriptions`, [list.wallMs / 1000]),
    ];
  } finally {
    await Promise.all([discord.close(), stripe.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchReconcile(process.argv[2] ? Number(process.argv[2]) : undefined));
}
