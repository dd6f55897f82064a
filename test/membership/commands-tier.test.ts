import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, sampleGuildOptions } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { fieldsOf, insertSubscription, type Embed } from './commands-fixtures.ts';

const STAFF_ROLE = '1300000000000000306';
const moderator = { id: '1300000000000000650', username: 'mod' };
const member = (n: number) => ({ id: `13000000000000007${String(n).padStart(2, '0')}`, username: `member${n}` });
const day = (ms: number) => `<t:${Math.floor(ms / 1000)}:D>`;
const HOUR = 3_600_000;

describe('/tier', () => {
  let rig: BotRig;
  beforeAll(async () => {
    // SAMPLE's Moderator role has Manage Messages only; /tier's lookups need Manage Roles.
    const roles = [...sampleGuildOptions().roles!, { id: STAFF_ROLE, name: 'Staff', permissions: String(1n << 28n), position: 2 }];
    rig = await startBotRig({ emulator: { roles }, background: false });
    await rig.discord.addMember(moderator, { roles: [STAFF_ROLE] });
    for (let n = 1; n <= 7; n++) await rig.discord.addMember(member(n));
  });
  afterAll(() => rig.stop());

  const ask = async (userId: string, about?: string) => {
    const seen = await rig.discord.runCommand({ userId, name: 'tier', options: about ? { member: about } : undefined }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    return { seen, embed: (seen.embeds[0] ?? {}) as Embed, fields: fieldsOf(seen.embeds[0]) };
  };

  it('shows an active subscription: tier, status, next renewal and perks', async () => {
    const renews = Date.now() + 20 * 24 * HOUR;
    await insertSubscription(rig.app.db, { userId: member(1).id, priceId: SANDBOX_PRICES.pro, currentPeriodEnd: renews });
    const { fields, embed } = await ask(member(1).id);
    expect(embed.title).toBe('Your membership');
    expect(fields).toEqual({ Tier: 'Pro', Status: 'Active', 'Next renewal': day(renews), Perks: '• Everything in Supporter\n• Priority answers' });
  });

  it('shows a trial with its end', async () => {
    const trialEnd = Date.now() + 5 * 24 * HOUR;
    await insertSubscription(rig.app.db, { userId: member(2).id, priceId: SANDBOX_PRICES.supporter, status: 'trialing', trialEnd, currentPeriodEnd: trialEnd });
    const { fields } = await ask(member(2).id);
    expect(fields).toMatchObject({ Tier: 'Supporter', Status: `Trialing until ${day(trialEnd)}`, 'Next renewal': day(trialEnd) });
  });

  it('shows past due with the end of the grace period and how to fix the card', async () => {
    const since = Date.now() - 2 * HOUR;
    await insertSubscription(rig.app.db, { userId: member(3).id, priceId: SANDBOX_PRICES.pro, status: 'past_due', pastDueSince: since });
    const { fields, embed } = await ask(member(3).id);
    expect(fields.Status).toBe(`Past due — access until ${day(since + rig.app.deps.policy.gracePeriodMs)}`);
    expect(fields).not.toHaveProperty('Next renewal');
    expect(embed.description).toContain('/billing');
  });

  it('shows a subscription that cancels at the period end, without a renewal', async () => {
    const ends = Date.now() + 9 * 24 * HOUR;
    await insertSubscription(rig.app.db, { userId: member(4).id, priceId: SANDBOX_PRICES.pro, cancelAtPeriodEnd: true, currentPeriodEnd: ends });
    const { fields } = await ask(member(4).id);
    expect(fields).toMatchObject({ Tier: 'Pro', Status: `Cancels on ${day(ends)}` });
    expect(fields).not.toHaveProperty('Next renewal');
  });

  it('shows a grant and a lifetime purchase', async () => {
    const until = Date.now() + 30 * 24 * HOUR;
    await rig.app.db
      .insertInto('grants')
      .values({ discord_user_id: member(5).id, tier_name: 'Supporter', until, granted_by: moderator.id, reason: 'test', created_at: Date.now(), revoked_at: null, revoked_by: null })
      .execute();
    expect((await ask(member(5).id)).fields).toMatchObject({ Tier: 'Supporter', Status: `Granted until ${day(until)}` });
    await rig.app.db
      .insertInto('lifetime_purchases')
      .values({ id: 'cs_test_lifetime', discord_user_id: member(6).id, stripe_customer_id: null, payment_intent_id: null, price_id: SANDBOX_PRICES.founder, status: 'paid', purchased_at: Date.now(), state_at: Date.now() })
      .execute();
    expect((await ask(member(6).id)).fields).toMatchObject({ Tier: 'Founder', Status: 'Lifetime: paid once, yours for good' });
  });

  it('tells a non-member how to join, and a member whose grace ran out how to get back', async () => {
    const { embed, fields } = await ask(SAMPLE.users.brian);
    expect(fields).toEqual({});
    expect(embed.description).toMatch(/You are not a member yet\.[\s\S]*\/join/);
    await insertSubscription(rig.app.db, { userId: member(7).id, priceId: SANDBOX_PRICES.pro, status: 'past_due', pastDueSince: Date.now() - 100 * HOUR });
    expect((await ask(member(7).id)).embed.description).toMatch(/not a member yet\.\nThe last payment failed[\s\S]*\/billing/);
  });

  it('refuses to show another member to a non-moderator', async () => {
    const { seen } = await ask(SAMPLE.users.ada, member(1).id);
    expect(seen.embeds).toEqual([]);
    expect(seen.content).toBe("You don't have permission to do that. Only moderators can look up another member; /tier without a member shows yours.");
  });

  it('lets a moderator (Manage Roles) look up another member', async () => {
    const { embed, fields } = await ask(moderator.id, member(1).id);
    expect(embed.title).toBe(`Membership of ${member(1).username}`);
    expect(fields).toMatchObject({ Tier: 'Pro', Status: 'Active' });
    const none = await ask(moderator.id, SAMPLE.users.brian);
    expect(none.embed.description).toMatch(/^<@1300000000000000502> is not a member yet\.\nThey can join with \/join\.$/);
  });
});
