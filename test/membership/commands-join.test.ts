import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { UserError } from '../../src/discord/user-error.ts';
import { checkoutIdempotencyKey, startJoin } from '../../src/membership/checkout.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { stripeClient } from '../rigs/stripe.ts';
import { buttonsOf, insertSubscription, linkCustomer, sync } from './commands-fixtures.ts';

const user = (n: number) => ({ id: `13000000000000006${String(n).padStart(2, '0')}`, username: `joiner${n}` });

describe('/join', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
    for (let n = 1; n <= 8; n++) await rig.discord.addMember(user(n));
  });
  afterAll(() => rig.stop());

  const sessionRequests = () => rig.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
  const lastSessionRequest = () => sessionRequests().at(-1)!;

  it('creates a subscription Checkout Session carrying the member id, and answers privately with a link button', async () => {
    const seen = await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'join', options: { tier: 'Pro' } }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    const req = lastSessionRequest();
    expect(req.body).toEqual({
      mode: 'subscription',
      line_items: [{ price: SANDBOX_PRICES.pro, quantity: '1' }],
      client_reference_id: SAMPLE.users.ada,
      metadata: { discord_user_id: SAMPLE.users.ada, tier: 'Pro', price_id: SANDBOX_PRICES.pro },
      subscription_data: { metadata: { discord_user_id: SAMPLE.users.ada } },
      allow_promotion_codes: 'true',
      success_url: rig.config.urls.checkoutSuccess,
      cancel_url: rig.config.urls.checkoutCancel,
    });
    expect(req.idempotencyKey).toMatch(new RegExp(`^guildhall-join-${SAMPLE.users.ada}-${SANDBOX_PRICES.pro}-\\d+$`));
    const session = [...rig.stripe.store.checkoutSessions.values()].find((s) => s.client_reference_id === SAMPLE.users.ada)!;
    const [button] = buttonsOf(seen.components);
    expect(button).toMatchObject({ type: 2, style: 5, label: 'Pay for Pro', url: session.url });
    expect(seen.content).toContain('**Pro**');

    // Paying works end to end on the emulator, and the subscription carries the member id too.
    const paid = await rig.stripe.completeCheckout(session.id);
    expect(paid.subscription?.metadata).toEqual({ discord_user_id: SAMPLE.users.ada });
    expect(paid.subscription?.items.data[0]?.price.id).toBe(SANDBOX_PRICES.pro);
  });

  it('sells the lowest tier when none is named', async () => {
    await rig.discord.runCommand({ userId: user(1).id, name: 'join' }).visibleReply();
    expect(lastSessionRequest().body).toMatchObject({ mode: 'subscription', line_items: [{ price: SANDBOX_PRICES.supporter }], metadata: { tier: 'Supporter' } });
  });

  it('sells a lifetime tier as a one-time payment that always creates a customer', async () => {
    const seen = await rig.discord.runCommand({ userId: user(2).id, name: 'join', options: { tier: 'founder' } }).visibleReply();
    const body = lastSessionRequest().body;
    expect(body).toMatchObject({ mode: 'payment', customer_creation: 'always', line_items: [{ price: SANDBOX_PRICES.founder, quantity: '1' }], client_reference_id: user(2).id });
    expect(body.payment_intent_data).toEqual({ metadata: { discord_user_id: user(2).id } });
    expect(body).not.toHaveProperty('subscription_data');
    expect(buttonsOf(seen.components)[0]?.label).toBe('Pay for Founder');
  });

  it("reuses the member's linked Stripe customer", async () => {
    const customer = await rig.app.deps.stripe.customers.create({ email: 'returning@example.test' });
    await linkCustomer(rig.app.db, user(3).id, customer.id);
    await rig.discord.runCommand({ userId: user(3).id, name: 'join', options: { tier: 'Pro' } }).visibleReply();
    expect(lastSessionRequest().body).toMatchObject({ customer: customer.id });
    expect(lastSessionRequest().body).not.toHaveProperty('customer_creation');
  });

  it('points a member who already pays to /billing instead of selling a second subscription', async () => {
    await insertSubscription(rig.app.db, { userId: user(4).id, priceId: SANDBOX_PRICES.supporter });
    await sync(rig, user(4).id);
    const before = sessionRequests().length;
    const seen = await rig.discord.runCommand({ userId: user(4).id, name: 'join', options: { tier: 'Pro' } }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toMatch(/You already have \*\*Supporter\*\*.*\/billing/);
    expect(seen.components).toEqual([]);
    expect(sessionRequests()).toHaveLength(before);
  });

  it('lets a member on a lapsed subscription pay again', async () => {
    await insertSubscription(rig.app.db, { userId: user(5).id, priceId: SANDBOX_PRICES.pro, status: 'canceled' });
    const seen = await rig.discord.runCommand({ userId: user(5).id, name: 'join', options: { tier: 'Pro' } }).visibleReply();
    expect(buttonsOf(seen.components)[0]?.label).toBe('Pay for Pro');
  });

  it('turns a double-click into one session: same member, tier and minute, same idempotency key', async () => {
    const clock = { now: () => Date.UTC(2026, 0, 5, 12, 30, 10) };
    const deps = { ...rig.app.deps, clock };
    const first = await startJoin(deps, user(6).id, 'Pro');
    clock.now = () => Date.UTC(2026, 0, 5, 12, 30, 50);
    const second = await startJoin(deps, user(6).id, 'Pro');
    expect(first.kind === 'checkout' && second.kind === 'checkout' && second.sessionId === first.sessionId).toBe(true);
    expect([...rig.stripe.store.checkoutSessions.values()].filter((s) => s.client_reference_id === user(6).id)).toHaveLength(1);
    const pro = rig.app.deps.tiers.byName('Pro')!;
    expect(checkoutIdempotencyKey(user(6).id, pro, Date.UTC(2026, 0, 5, 12, 31, 0))).not.toBe(checkoutIdempotencyKey(user(6).id, pro, clock.now()));
  });

  it('answers "unavailable" when Stripe refuses, and names an unknown tier', async () => {
    const broken = { ...rig.app.deps, stripe: stripeClient(rig.stripe.apiUrl, 'sk_test_not_the_key') };
    await expect(startJoin(broken, user(7).id, 'Pro')).rejects.toMatchObject({ name: 'UserError', code: 'unavailable' });
    await expect(startJoin(rig.app.deps, user(7).id, 'Platinum')).rejects.toBeInstanceOf(UserError);
    const seen = await rig.discord.runCommand({ userId: user(7).id, name: 'join', options: { tier: 'Platinum' } }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toContain('There is no tier called "Platinum". Pick one of: Founder, Pro, Supporter.');
  });

  it('autocompletes tier names', async () => {
    const all = await rig.discord.autocomplete({ userId: user(8).id, name: 'join', options: { tier: '' } }).visibleReply();
    expect((all.data.choices as { value: string }[]).map((c) => c.value)).toEqual(['Supporter', 'Pro', 'Founder']);
    const some = await rig.discord.autocomplete({ userId: user(8).id, name: 'join', options: { tier: 'pr' } }).visibleReply();
    expect(some.data.choices).toEqual([{ name: 'Pro', value: 'Pro' }]);
  });
});
