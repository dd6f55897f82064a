import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SAMPLE } from './discord/index.ts';
import { childBaseEnv } from './bot-process.ts';
import type { Sandbox } from './harness.ts';
import { SANDBOX_PRICES } from './tiers.ts';
import type { ScenarioStep } from './scenario.ts';
import { renderMarkdown } from './transcript.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/**
 * Paid membership in the demo: join, pay, upgrade, a declined renewal inside the grace period,
 * a cancellation at the period end, a role removed by hand and healed by reconciliation, and
 * /doctor catching a role placed above the bot's.
 */
export async function membershipSteps(sandbox: Sandbox, step: ScenarioStep): Promise<void> {
  const { discord, stripe } = sandbox;
  const brian = SAMPLE.users.brian;
  const roles = () => discord.state.roleIdsOf(brian) ?? [];
  const roleName = (id: string) => discord.state.roles.get(id)?.name ?? id;
  const holds = () => `brian now holds: ${roles().map(roleName).filter((n) => n !== '@everyone').join(', ') || 'no roles'}`;
  /** Every webhook delivered, processed by the bot, and its Discord side effects applied. */
  const settled = async () => {
    await discord.waitFor(() => stripe.deliveries.every((d) => d.status !== 'pending'), 15_000);
    await discord.waitFor(() => sandbox.botIsIdle(), 15_000);
  };
  let sessionUrl = '';
  let subscriptionId = '';

  await step('brian types /join', async ({ seen }) => {
    const handle = discord.runCommand({ userId: brian, name: 'join', channelId: SAMPLE.channels.general });
    const lines = await seen(brian, handle);
    const reply = await handle.visibleReply();
    sessionUrl = String((reply.components[0] as { components: { url: string }[] }).components[0]!.url);
    return lines;
  });

  await step('brian pays on the Checkout page (the Stripe emulator completes it and sends signed webhooks)', async () => {
    const sessionId = /\/checkout\/(cs_[^/?#]+)/.exec(sessionUrl)![1]!;
    const paid = await stripe.completeCheckout(sessionId);
    subscriptionId = paid.subscription!.id;
    await discord.waitFor(() => roles().includes(SAMPLE.roles.member), 15_000);
    return [holds()];
  });

  await step('brian upgrades to Pro in the Billing Portal', async () => {
    await stripe.changePrice(subscriptionId, SANDBOX_PRICES.pro);
    await discord.waitFor(() => roles().includes(SAMPLE.roles.pro) && !roles().includes(SAMPLE.roles.member), 15_000);
    return [holds()];
  });

  await step("brian's card is declined at renewal: past due, inside the grace period", async ({ seen }) => {
    const dms = () => discord.state.messagesIn(discord.dmChannelId(brian));
    await stripe.failPayment(subscriptionId);
    await settled();
    await discord.waitFor(() => dms().length > 0, 15_000);
    const dm = dms().at(-1) as { content?: string; embeds?: { description?: string }[] };
    const text = [dm.content, ...(dm.embeds ?? []).map((e) => e.description)].filter(Boolean).join(' ');
    return [`✉ brian gets a DM: ${renderMarkdown(text).replace(/\n+/g, ' ').slice(0, 200)}…`, holds(), ...(await seen(brian, discord.runCommand({ userId: brian, name: 'tier' })))];
  });

  await step('brian updates his card; Stripe retries the invoice and it is paid', async ({ seen }) => {
    await stripe.renewSubscription(subscriptionId);
    await settled();
    return [holds(), ...(await seen(brian, discord.runCommand({ userId: brian, name: 'tier' })))];
  });

  await step('brian cancels in the Billing Portal, at the end of the period', async ({ seen }) => {
    await stripe.cancelSubscription(subscriptionId, { atPeriodEnd: true });
    await settled();
    return [holds(), ...(await seen(brian, discord.runCommand({ userId: brian, name: 'tier' })))];
  });

  await step("an admin removes brian's Pro role by hand; `npm run reconcile` heals it", async () => {
    await discord.setMemberRolesByHand(brian, roles().filter((r) => r !== SAMPLE.roles.pro));
    const before = holds();
    const env = { ...childBaseEnv(), ...sandbox.env, LOG_LEVEL: 'warn' };
    const { stdout } = await run(TSX, ['src/membership/reconcile-cli.ts'], { cwd: ROOT, env });
    await discord.waitFor(() => roles().includes(SAMPLE.roles.pro), 15_000);
    return [
      before,
      ...stdout.trim().split('\n').map((l) => `$ npm run reconcile: ${l}`),
      holds(),
      "(ada's Member role had been given by hand, with no payment or grant behind it: reconciliation removes it too)",
    ];
  });

  await step("the owner drags the Pro role above the bot's role, then runs /doctor", async ({ seen }) => {
    await discord.moveRoleByHand(SAMPLE.roles.pro, 9);
    return seen(SAMPLE.ownerId, discord.runCommand({ userId: SAMPLE.ownerId, name: 'doctor', channelId: SAMPLE.channels.mods }), 20_000);
  });

  await step('the owner follows the advice and moves the Pro role back below the bot', async () => {
    await discord.moveRoleByHand(SAMPLE.roles.pro, 3);
    return ['the Pro role is manageable again'];
  });
}
