import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE, sampleGuildOptions, snowflakeTimestamp, startDiscordEmulator, type DiscordEmulator } from '../../src/sandbox/discord/index.ts';
import { startStripeEmulator, type StripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_PRICES, SANDBOX_STRIPE_PRICES } from '../../src/sandbox/tiers.ts';

const DAY = 86_400;
const T = Date.UTC(2024, 7, 31, 10); // 31 Aug: the next monthly renewal is the last day of September

// The emulators' history helpers on their own (no bot): what they store and emit carries the past time.
describe('emulator history helpers', () => {
  let discord: DiscordEmulator | undefined;
  let stripe: StripeEmulator | undefined;
  afterEach(async () => {
    await discord?.close();
    await stripe?.close();
    discord = stripe = undefined;
  });

  it('Discord: past messages get snowflakes of their time, in id order, without moving last_message_id back', async () => {
    discord = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined }));
    const { general, forum } = SAMPLE.channels;
    const live = await discord.postMessage({ channelId: general, authorId: SAMPLE.users.ada, content: 'today' });
    const older = await discord.postPastMessage({ channelId: general, authorId: SAMPLE.users.brian, content: 'then', at: T });
    const same = await discord.postPastMessage({ channelId: general, authorId: SAMPLE.users.ada, content: 'same ms', at: T });
    expect([snowflakeTimestamp(older.id), snowflakeTimestamp(same.id), older.timestamp]).toEqual([T, T, new Date(T).toISOString()]);
    expect(BigInt(same.id)).toBeGreaterThan(BigInt(older.id));
    expect(discord.state.messagesIn(general).map((m) => m.content)).toEqual(['then', 'same ms', 'today']);
    expect(discord.state.channels.get(general)!.last_message_id).toBe(live.id);

    const post = await discord.openPastForumPost({ forumId: forum, authorId: SAMPLE.users.brian, title: 'Old question', content: 'how?', at: T + 1000 });
    expect(post).toMatchObject({ type: 11, parent_id: forum, owner_id: SAMPLE.users.brian, name: 'Old question' });
    expect(discord.state.messagesIn(post.id).map((m) => [m.id, m.content])).toEqual([[post.id, 'how?']]);
    const thread = await discord.openPastThread({ channelId: general, authorId: SAMPLE.users.ada, name: 'Setups', content: 'show yours', at: T + 2000 });
    expect(discord.state.messagesIn(general).find((m) => m.id === thread.id)?.thread).toMatchObject({ id: thread.id, parent_id: general });
    await expect(discord.postPastMessage({ channelId: general, authorId: '1300000000000009876', content: 'x', at: T })).rejects.toThrow(/unknown user/);
  });

  it('Stripe: checkout, renewal at the period end, decline, price change and cancellation carry their past times', async () => {
    stripe = await startStripeEmulator({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x', prices: SANDBOX_STRIPE_PRICES });
    const start = T / 1000;
    const paid = await stripe.history.checkout({ userId: SAMPLE.users.ada, priceId: SANDBOX_PRICES.supporter, at: start });
    const sub = paid.subscription!;
    const end = Date.UTC(2024, 8, 30, 10) / 1000;
    expect([sub.start_date, sub.created, sub.items.data[0]!.current_period_end, sub.metadata.discord_user_id]).toEqual([start, start, end, SAMPLE.users.ada]);
    expect(paid.session).toMatchObject({ client_reference_id: SAMPLE.users.ada, metadata: { discord_user_id: SAMPLE.users.ada, price_id: SANDBOX_PRICES.supporter } });
    expect(new Set(stripe.events.map((e) => e.created))).toEqual(new Set([start]));

    const renewed = await stripe.history.renew(sub.id, end);
    expect(renewed.subscription.items.data[0]!.current_period_end).toBe(Date.UTC(2024, 9, 31, 10) / 1000);
    const declined = await stripe.history.failPayment(sub.id, Date.UTC(2024, 9, 31, 10) / 1000);
    expect(declined.subscription.status).toBe('past_due');
    await stripe.history.changePrice(sub.id, SANDBOX_PRICES.pro, start + 70 * DAY);
    const ended = await stripe.history.cancel(sub.id, start + 75 * DAY);
    expect([ended.subscription.status, ended.subscription.ended_at]).toEqual(['canceled', start + 75 * DAY]);
    const last = stripe.events.at(-1)!;
    expect([last.type, last.created]).toEqual(['customer.subscription.deleted', start + 75 * DAY]);

    // A one-time price is a payment-mode Checkout, with the member on the payment as /join puts it.
    const lifetime = await stripe.history.checkout({ userId: SAMPLE.users.brian, priceId: SANDBOX_PRICES.founder, at: start });
    expect([lifetime.session.mode, lifetime.customer?.created, lifetime.paymentIntent?.metadata]).toEqual(['payment', start, { discord_user_id: SAMPLE.users.brian }]);
    // Outside the helpers the emulator runs on its live clock again.
    const before = Math.floor(Date.now() / 1000);
    const fresh = stripe.seedSubscription({ priceId: SANDBOX_PRICES.supporter });
    expect(fresh.subscription.created).toBeGreaterThanOrEqual(before);
  });
});
