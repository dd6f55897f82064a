import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_PRICES } from '../../src/sandbox/tiers.ts';
import { parseUntil, UNTIL_EXAMPLE } from '../../src/membership/grants.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { insertSubscription, sync } from './commands-fixtures.ts';

const DAY = 86_400_000;
const owner = { id: SAMPLE.ownerId, name: 'olivia' };
const member = (n: number) => ({ id: `13000000000000009${String(n).padStart(2, '0')}`, username: `guest${n}` });

describe('parseUntil', () => {
  const now = Date.UTC(2026, 5, 15, 10, 0, 0);
  it('reads a date as the end of that day in UTC, and durations from now', () => {
    expect(parseUntil('2026-12-31', now)).toBe(Date.UTC(2027, 0, 1));
    expect(parseUntil('2026-06-15', now)).toBe(Date.UTC(2026, 5, 16));
    expect(parseUntil('30d', now)).toBe(now + 30 * DAY);
    expect(parseUntil(' 12H ', now)).toBe(now + 12 * 3_600_000);
    expect(parseUntil('2w', now)).toBe(now + 14 * DAY);
  });
  it.each(['tomorrow', '2026-02-30', '2026-06-14', '31/12/2026', '0d', '30', '5y', '99999d'])('refuses %j with an example', (input) => {
    expect(() => parseUntil(input, now)).toThrow(expect.objectContaining({ code: 'invalid_input', detail: expect.stringContaining(UNTIL_EXAMPLE) }));
  });
});

describe('/grant and /revoke', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
    for (let n = 1; n <= 3; n++) await rig.discord.addMember(member(n));
  });
  afterAll(() => rig.stop());

  const tierRole = (name: string) => rig.app.deps.tiers.byName(name)!.roleId;
  const outbox = (userId: string) =>
    rig.app.db.selectFrom('outbox').select(['kind', 'role_id', 'reason', 'source']).where('discord_user_id', '=', userId).orderBy('id').execute();
  const grants = (userId: string) => rig.app.db.selectFrom('grants').selectAll().where('discord_user_id', '=', userId).orderBy('id').execute();
  const run = (userId: string, name: string, options: Record<string, unknown>) => rig.discord.runCommand({ userId, name, options }).visibleReply();

  it('refuses a bad until with an example, storing nothing', async () => {
    const seen = await run(owner.id, 'grant', { member: member(1).id, tier: 'Pro', until: 'next friday' });
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toBe(`That input didn't work. "next friday" is neither a date nor a duration. ${UNTIL_EXAMPLE}`);
    expect(await grants(member(1).id)).toEqual([]);
  });

  it('is for moderators only (checked server-side too)', async () => {
    const seen = await run(SAMPLE.users.ada, 'grant', { member: SAMPLE.users.ada, tier: 'Founder' });
    expect(seen.content).toBe("You don't have permission to do that.");
    expect(await grants(SAMPLE.users.ada)).toEqual([]);
    const registered = rig.discord.state.guildCommands.filter((c) => c.name === 'grant' || c.name === 'revoke');
    expect(registered.map((c) => c.default_member_permissions)).toEqual([String(1n << 28n), String(1n << 28n)]);
  });

  it('/grant stores the grant and queues the role; /revoke ends it and queues the removal', async () => {
    const target = member(1).id;
    const granted = await run(owner.id, 'grant', { member: target, tier: 'Pro', until: '30d' });
    const [grant] = await grants(target);
    expect(grant).toMatchObject({ tier_name: 'Pro', granted_by: owner.id, reason: 'complimentary, granted by @olivia', revoked_at: null });
    // The command reads the clock for `until` just before the service stamps created_at.
    expect(grant!.created_at - (grant!.until! - 30 * DAY)).toBeGreaterThanOrEqual(0);
    expect(grant!.created_at - (grant!.until! - 30 * DAY)).toBeLessThan(5_000);
    expect(granted.ephemeral).toBe(true);
    expect(granted.content).toContain(`Granted **Pro** to <@${target}> until <t:${Math.floor(grant!.until! / 1000)}:F> (grant #${grant!.id}).`);
    expect(await outbox(target)).toEqual([{ kind: 'role_add', role_id: tierRole('Pro'), reason: 'complimentary, granted by @olivia', source: `grant:${grant!.id}` }]);

    const revoked = await run(owner.id, 'revoke', { member: target });
    expect(revoked.content).toContain(`Ended **Pro** (grant #${grant!.id}) for <@${target}>. They have no tier now`);
    expect((await grants(target))[0]).toMatchObject({ revoked_by: owner.id, revoked_at: expect.any(Number) });
    expect((await outbox(target)).at(-1)).toEqual({ kind: 'role_remove', role_id: tierRole('Pro'), reason: 'grant revoked by @olivia', source: `grant:${grant!.id}` });

    const again = await run(owner.id, 'revoke', { member: target });
    expect(again.content).toMatch(/^I couldn't find that\. That member has no active grant/);
  });

  it('/revoke removes only the grant: a paid subscription still counts', async () => {
    const target = member(2).id;
    await insertSubscription(rig.app.db, { userId: target, priceId: SANDBOX_PRICES.supporter });
    await sync(rig, target);
    const granted = await run(owner.id, 'grant', { member: target, tier: 'Pro', until: '365d' });
    expect(granted.content).toContain('Their role is on its way.');
    const revoked = await run(owner.id, 'revoke', { member: target });
    expect(revoked.content).toContain('They keep **Supporter** through their paid subscription.');
    const rows = await outbox(target);
    expect(rows.map((r) => `${r.kind} ${r.role_id}`)).toEqual([
      `role_add ${tierRole('Supporter')}`, // the subscription
      `role_add ${tierRole('Pro')}`, // the grant outranks it: one tier role at a time
      `role_remove ${tierRole('Supporter')}`,
      `role_add ${tierRole('Supporter')}`, // revoked: back to the paid tier
      `role_remove ${tierRole('Pro')}`,
    ]);
    const entitlement = await rig.app.db.selectFrom('entitlements').selectAll().where('discord_user_id', '=', target).executeTakeFirstOrThrow();
    expect(entitlement.tier_name).toBe('Supporter');
  });

  it('a new grant replaces the earlier one, so a grant can be lowered', async () => {
    const target = member(3).id;
    await run(owner.id, 'grant', { member: target, tier: 'Founder' });
    const lowered = await run(owner.id, 'grant', { member: target, tier: 'Supporter', until: '7d' });
    expect(lowered.content).toContain('It replaces their earlier grant.');
    const [first, second] = await grants(target);
    expect(first).toMatchObject({ tier_name: 'Founder', until: null, revoked_by: owner.id });
    expect(second).toMatchObject({ tier_name: 'Supporter', revoked_at: null });
    expect((await outbox(target)).map((r) => `${r.kind} ${r.role_id}`).slice(-2)).toEqual([`role_add ${tierRole('Supporter')}`, `role_remove ${tierRole('Founder')}`]);
  });

  it('autocompletes the tier', async () => {
    const seen = await rig.discord.autocomplete({ userId: owner.id, name: 'grant', options: { member: member(1).id, tier: 'f' } }).visibleReply();
    expect(seen.data.choices).toEqual([{ name: 'Founder (one-time, for life)', value: 'Founder' }]);
  });
});
