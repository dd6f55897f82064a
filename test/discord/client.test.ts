import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MEMBER_CACHE } from '../../src/discord/client.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, TEST_COMMANDS_DIR, type BotRig } from '../rigs/bot.ts';

describe('the Discord client', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('identifies with only Guilds, GuildMembers and GuildMessages: no MessageContent', async () => {
    rig = await startBotRig();
    const intents = Number((rig.discord.state.identifies.at(-1) as { intents: number }).intents);
    expect(intents).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.GuildVoiceStates,
    );
    expect(intents & GatewayIntentBits.MessageContent).toBe(0);
  });

  it('keeps the member cache bounded however many members join', async () => {
    rig = await startBotRig();
    const joins = MEMBER_CACHE + 300;
    for (let i = 0; i < joins; i++) await rig.discord.addMember({ id: String(1400000000000000000n + BigInt(i)), username: `m${i}` });
    const guild = rig.app.client.guilds.cache.get(SAMPLE.guildId)!;
    await rig.discord.waitFor(() => guild.memberCount >= joins);
    expect(guild.members.cache.size).toBeLessThanOrEqual(MEMBER_CACHE);
    expect(guild.members.cache.has(rig.app.client.user!.id)).toBe(true);
  });

  it('keeps working after the gateway connection drops, resumed or re-identified', async () => {
    rig = await startBotRig();
    rig.discord.dropConnection(4000);
    await rig.discord.waitForReady();
    expect((await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'about' }).visibleReply()).embeds).toHaveLength(1);
    rig.discord.dropConnection(1000, { forgetSessions: true });
    await rig.discord.waitFor(() => rig!.discord.state.identifies.length >= 2, 15_000);
    await rig.discord.waitForReady();
    expect((await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'about' }).visibleReply(10_000)).embeds).toHaveLength(1);
  }, 30_000);

  it('lets an in-flight command finish during shutdown', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const handle = rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'slow' });
    await handle.waitForResponse((r) => r.kind === 'callback');
    await rig.app.stop();
    expect(handle.responses.map((r) => r.kind)).toEqual(['callback', 'edit-original']);
    expect((handle.responses[1]!.body as { content: string }).content).toBe('done, despite the shutdown');
  });
});
