import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { NO_CUSTOMER_MESSAGE } from '../../src/membership/billing-portal.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { buttonsOf, linkCustomer } from './commands-fixtures.ts';

const leaver = { id: '1300000000000000801', username: 'leaver' };

describe('/billing and the billing button', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
    await rig.discord.addMember(leaver);
  });
  afterAll(() => rig.stop());

  const portalRequests = () => rig.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');
  const newCustomer = async (userId: string) => {
    const customer = await rig.app.deps.stripe.customers.create({ email: `${userId}@example.test` });
    await linkCustomer(rig.app.db, userId, customer.id);
    return customer.id;
  };

  it('says clearly when the member has no payment on file, without calling Stripe', async () => {
    const seen = await rig.discord.runCommand({ userId: SAMPLE.users.brian, name: 'billing' }).visibleReply();
    expect(seen).toMatchObject({ ephemeral: true, content: NO_CUSTOMER_MESSAGE, components: [] });
    expect(portalRequests()).toHaveLength(0);
  });

  it("opens a fresh Billing Portal session for the member's customer, as a link button", async () => {
    const customer = await newCustomer(SAMPLE.users.ada);
    const seen = await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'billing' }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    expect(portalRequests().at(-1)!.body).toEqual({ customer, return_url: rig.config.urls.portalReturn });
    const session = [...rig.stripe.store.portalSessions.values()].find((s) => s.customer === customer)!;
    expect(buttonsOf(seen.components)).toEqual([expect.objectContaining({ style: ButtonStyle.Link, label: 'Manage billing', url: session.url })]);
    // A second click is a second session: portal links are short-lived.
    await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'billing' }).visibleReply();
    expect(rig.stripe.store.portalSessions.size).toBe(2);
  });

  it('answers the `billing` button in a DM, where the interaction has a user and no member', async () => {
    const customer = await newCustomer(leaver.id);
    // The payment-failed DM carries this button; the member may have left the server since.
    const button = new ButtonBuilder().setCustomId('billing').setStyle(ButtonStyle.Primary).setLabel('Update card');
    const dm = await rig.app.client.users.send(leaver.id, { content: 'Your payment failed.', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)] });
    await rig.discord.removeMember(leaver.id);
    const handle = rig.discord.clickButton({ userId: leaver.id, message: dm.id, customId: 'billing' });
    const seen = await handle.visibleReply();
    expect(handle.raw).not.toHaveProperty('member');
    expect(handle.raw).not.toHaveProperty('guild_id');
    expect((handle.raw.user as { id: string }).id).toBe(leaver.id);
    expect(seen.ephemeral).toBe(true);
    expect(portalRequests().at(-1)!.body).toMatchObject({ customer });
    expect(buttonsOf(seen.components)[0]).toMatchObject({ label: 'Manage billing', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) });
  });

  it('answers "unavailable" when Stripe does not know the customer any more', async () => {
    await linkCustomer(rig.app.db, SAMPLE.ownerId, 'cus_deleted_long_ago');
    const seen = await rig.discord.runCommand({ userId: SAMPLE.ownerId, name: 'billing' }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toMatch(/^A service I depend on is not answering right now\./);
  });
});
