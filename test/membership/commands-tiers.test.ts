import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { createPriceCatalog, formatPrice, PRICE_CACHE_TTL_MS } from '../../src/membership/price-catalog.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { fieldsOf, type Embed } from './commands-fixtures.ts';

describe('/tiers', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
  });
  afterAll(() => rig.stop());

  const priceLists = () => rig.stripe.requests.filter((r) => r.method === 'GET' && r.path === '/v1/prices');

  it('lists every tier with its Stripe prices and perks, publicly and without pings, from one cached Stripe call', async () => {
    const handle = rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'tiers' });
    const seen = await handle.visibleReply();
    expect(seen.ephemeral).toBe(false);
    expect((seen.embeds[0] as Embed).title).toBe('Membership tiers');
    expect(fieldsOf(seen.embeds[0])).toEqual({
      'Supporter: $5.00 / month or $50.00 / year': '• Members-only channels\n• Ask the experts',
      'Pro: $15.00 / month': '• Everything in Supporter\n• Priority answers',
      'Founder: $300.00 one-time': '• Everything in Pro, for life',
    });
    const edit = handle.responses.find((r) => r.kind === 'edit-original')!;
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });

    await rig.discord.runCommand({ userId: SAMPLE.users.brian, name: 'tiers' }).visibleReply();
    expect(priceLists()).toHaveLength(1);
  });

  it('refreshes the cache after its time to live, and not before', async () => {
    let now = 1_000_000;
    const catalog = createPriceCatalog(rig.app.deps.stripe, { now: () => now });
    const before = priceLists().length;
    const ids = [SANDBOX_PRICES.pro, SANDBOX_PRICES.founder];
    expect([...(await catalog.get(ids)).keys()].sort()).toEqual(ids.sort());
    now += PRICE_CACHE_TTL_MS - 1;
    await Promise.all([catalog.get(ids), catalog.get(ids)]);
    expect(priceLists().length - before).toBe(1);
    now += 1;
    await Promise.all([catalog.get(ids), catalog.get(ids)]);
    expect(priceLists().length - before).toBe(2);
  });

  it('formats amounts, intervals and one-time prices', async () => {
    const pro = await rig.app.deps.stripe.prices.retrieve(SANDBOX_PRICES.pro);
    expect(formatPrice(pro)).toBe('$15.00 / month');
    expect(formatPrice({ ...pro, recurring: { ...pro.recurring!, interval: 'month', interval_count: 3 } })).toBe('$15.00 every 3 months');
    expect(formatPrice({ ...pro, currency: 'jpy', unit_amount: 1500, recurring: null })).toBe('¥1,500 one-time');
    expect(formatPrice({ ...pro, currency: 'eur', unit_amount: 990 })).toBe('€9.90 / month');
  });
});
