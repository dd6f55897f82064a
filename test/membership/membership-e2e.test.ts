import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startStripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_STRIPE_PRICES } from '../../src/sandbox/tiers.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { TEST_SECRETS } from '../rigs/env.ts';

// The whole path with nothing driven by hand: /join, Stripe Checkout, signed webhooks, the event
// processor, the outbox worker and the role on Discord, all inside the running bot.
type Button = { url?: string };
const sessionIdOf = (url: string) => /\/checkout\/(cs_[^/?#]+)/.exec(url)?.[1];

describe('paid membership, end to end in the running bot', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const rolePuts = (r: BotRig, userId: string, roleId: string) =>
    r.discord.requests.filter((q) => q.method === 'PUT' && q.path.endsWith(`/members/${userId}/roles/${roleId}`) && q.status === 204).length;

  async function join(r: BotRig, userId: string, tier: string) {
    const reply = await r.discord.runCommand({ userId, name: 'join', options: { tier } }).visibleReply();
    const button = (reply.components[0] as { components: Button[] }).components[0]!;
    return sessionIdOf(button.url!)!;
  }

  it('gives the tier role after payment, swaps it on upgrade and keeps it through a failed payment', async () => {
    const r = (rig = await startBotRig());
    const { discord, stripe } = r;
    const buyer = SAMPLE.users.brian; // brian holds no tier role yet
    const roles = () => discord.state.roleIdsOf(buyer) ?? [];
    const paid = await stripe.completeCheckout(await join(r, buyer, 'Supporter'));
    await discord.waitFor(() => roles().includes(SAMPLE.roles.member), 10_000);

    await stripe.changePrice(paid.subscription!.id, 'price_sandbox_pro');
    await discord.waitFor(() => roles().includes(SAMPLE.roles.pro) && !roles().includes(SAMPLE.roles.member), 10_000);

    await stripe.failPayment(paid.subscription!.id);
    const dm = await discord.waitFor(() => discord.state.messagesIn(discord.dmChannelId(buyer)).at(-1), 10_000);
    expect(JSON.stringify(dm)).toContain('"custom_id":"billing"');
    expect(roles()).toContain(SAMPLE.roles.pro);
    expect(rolePuts(r, buyer, SAMPLE.roles.pro)).toBe(1);
  });

  it('applies a role exactly once after a crash between the webhook 2xx and the role change', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guildhall-crash-'));
    // Stripe outlives the bot's crash: the second life re-fetches from the same account.
    const stripeEmulator = await startStripeEmulator({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, prices: SANDBOX_STRIPE_PRICES });
    try {
      // First life: webhooks are recorded (200) but the process dies before acting on them.
      const first = (rig = await startBotRig({ dataDir, background: false, stripeEmulator }));
      const sessionId = await join(first, SAMPLE.users.brian, 'Pro');
      await first.stripe.completeCheckout(sessionId);
      await first.discord.waitFor(() => first.stripe.deliveries.length > 0 && first.stripe.deliveries.every((d) => d.status === 'delivered'), 10_000);
      const recorded = await first.app.db.selectFrom('stripe_events').select(['id', 'processed_at']).execute();
      expect(recorded.length).toBeGreaterThan(2);
      expect(recorded.every((e) => e.processed_at === null)).toBe(true);
      await first.stop();

      // Second life, same database: the recorded events are processed and the role applied once.
      rig = await startBotRig({ dataDir, stripeEmulator });
      const r = rig;
      await r.discord.waitFor(() => (r.discord.state.roleIdsOf(SAMPLE.users.brian) ?? []).includes(SAMPLE.roles.pro), 10_000);
      // Let the worker settle, then count: a second application would show as a second PUT.
      await r.app.membership.outbox.drain();
      expect(rolePuts(r, SAMPLE.users.brian, SAMPLE.roles.pro)).toBe(1);
      const unprocessed = await r.app.db.selectFrom('stripe_events').select('id').where('processed_at', 'is', null).execute();
      expect(unprocessed).toEqual([]);
    } finally {
      await rig?.stop();
      rig = undefined;
      await stripeEmulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
