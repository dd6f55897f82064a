// Gateway behaviour of the Discord emulator: reconnects, intents, member/message/reaction dispatches.
import { once } from 'node:events';
import { GatewayIntentBits, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { emulatorSession } from '../rigs/emulated-client.ts';
import WebSocket from 'ws';
import { SAMPLE, sampleGuildOptions, type DiscordEmulator, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';

const session = emulatorSession();

const G = GatewayIntentBits;

async function boot(intents: number[], overrides: Partial<DiscordEmulatorOptions> = {}) {
  const emu = await session.start(overrides);
  const c = await session.login(emu, { intents }, (client) =>
    client.on('interactionCreate', (i: Interaction) => {
      if (i.isChatInputCommand()) void i.reply({ content: `pong ${i.commandName}` });
    }),
  );
  return { emu, client: c };
}

async function pingWorks(emu: DiscordEmulator, name: string): Promise<void> {
  const h = emu.runCommand({ userId: SAMPLE.users.ada, name });
  expect((await h.visibleReply(8000)).content).toBe(`pong ${name}`);
}

describe('discord emulator gateway', () => {
  it('resumes after a dropped connection and replays what the bot missed', async () => {
    const { emu, client: c } = await boot([G.Guilds, G.GuildMembers]);
    const resumed = once(c, 'shardResume');
    emu.dropConnection(4000);
    // Dispatched while the bot is away: RESUME must replay it.
    await emu.addMember({ id: SAMPLE.users.grace, username: 'grace' });
    await resumed;
    expect(emu.gatewayCounts.resumes).toBe(1);
    await emu.waitFor(() => c.guilds.cache.get(SAMPLE.guildId)?.members.cache.has(SAMPLE.users.grace));
    await pingWorks(emu, 'after-resume');
    expect(emu.state.identifies).toHaveLength(1);
  });

  // Each re-identify costs ~5 s: discord.js waits between IDENTIFYs as Discord requires.
  it('re-identifies when RESUME hits an unknown session (INVALID_SESSION)', async () => {
    const { emu } = await boot([G.Guilds]);
    emu.dropConnection(4000, { forgetSessions: true });
    await emu.waitFor(() => emu.state.identifies.length === 2, 10_000);
    await emu.waitForReady();
    expect(emu.gatewayCounts.invalidSessions).toBe(1);
    await pingWorks(emu, 'after-invalid-session');
  });

  it('re-identifies after a normal close (1000)', async () => {
    const { emu } = await boot([G.Guilds]);
    emu.dropConnection(1000);
    await emu.waitFor(() => emu.state.identifies.length === 2, 10_000);
    await emu.waitForReady();
    await pingWorks(emu, 'after-reidentify');
  });

  it('answers heartbeats with ACKs, and a heartbeat request gets one at once', async () => {
    const { emu, client: c } = await boot([G.Guilds], { heartbeatIntervalMs: 100 });
    await emu.waitFor(() => emu.gatewayCounts.heartbeats >= 2, 3000);
    // discord.js measures ping from our ACKs.
    await emu.waitFor(() => c.ws.ping >= 0, 3000);
    const before = emu.gatewayCounts.heartbeats;
    emu.requestHeartbeat();
    await emu.waitFor(() => emu.gatewayCounts.heartbeats > before, 1000);
    await pingWorks(emu, 'after-heartbeat');
  });

  it('respects intents: member events need GuildMembers, content needs MessageContent', async () => {
    const { emu, client: c } = await boot([G.Guilds, G.GuildMessages, G.GuildMessageReactions]);
    const joined: string[] = [];
    const contents: string[] = [];
    const reactions: string[] = [];
    c.on('guildMemberAdd', (m) => joined.push(m.id));
    c.on('messageCreate', (m) => contents.push(m.content));
    c.on('messageReactionAdd', (r) => reactions.push(r.emoji.name ?? ''));
    await emu.addMember({ id: SAMPLE.users.grace, username: 'grace' });
    const msg = await emu.postMessage({ channelId: SAMPLE.channels.general, authorId: SAMPLE.users.ada, content: 'secret text' });
    await emu.postMessage({ channelId: SAMPLE.channels.general, authorId: SAMPLE.users.ada, content: `hey <@${SAMPLE.applicationId}>` });
    await emu.addReaction({ channelId: SAMPLE.channels.general, messageId: msg.id, userId: SAMPLE.users.brian, emoji: '👍' });
    await emu.waitFor(() => reactions.length === 1);
    expect(joined).toEqual([]);
    // Without MESSAGE_CONTENT only messages that mention the bot keep their text.
    expect(contents).toEqual(['', `hey <@${SAMPLE.applicationId}>`]);
    expect(reactions).toEqual(['👍']);
    expect(emu.state.messagesIn(SAMPLE.channels.general)[0]?.content).toBe('secret text');
  });

  it('dispatches joins, leaves and full message content when the intents are given', async () => {
    const { emu, client: c } = await boot([G.Guilds, G.GuildMembers, G.GuildMessages, G.MessageContent]);
    const events: string[] = [];
    c.on('guildMemberAdd', (m) => events.push(`add ${m.user.username} ${m.joinedAt?.toISOString()}`));
    c.on('guildMemberRemove', (m) => events.push(`remove ${m.id}`));
    c.on('messageCreate', (m) => events.push(`msg ${m.content} by ${m.member?.user.username}`));
    await emu.addMember({ id: SAMPLE.users.grace, username: 'grace' }, { joinedAt: '2025-01-02T03:04:05.000Z' });
    await emu.postMessage({ channelId: SAMPLE.channels.general, authorId: SAMPLE.users.grace, content: 'hello all' });
    await emu.removeMember(SAMPLE.users.grace);
    await emu.waitFor(() => events.length === 3);
    expect(events).toEqual(['add grace 2025-01-02T03:04:05.000Z', 'msg hello all by grace', `remove ${SAMPLE.users.grace}`]);
    expect(emu.state.member(SAMPLE.users.grace)).toBeUndefined();
  });

  it('serves REQUEST_GUILD_MEMBERS (guild.members.fetch) with member chunks', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ user: { id: (1400000000000000000n + BigInt(i)).toString(), username: `user${i}` } }));
    const { client: c } = await boot([G.Guilds, G.GuildMembers], sampleGuildOptions({ members: many }));
    const guild = c.guilds.cache.get(SAMPLE.guildId)!;
    // Over the large threshold (50) GUILD_CREATE carries only the bot; fetching brings the rest.
    expect(guild.members.cache.size).toBe(1);
    const all = await guild.members.fetch();
    expect(all.size).toBe(121);
  });

  it('closes with 4004 on a bad token and 4003 before identifying', async () => {
    const emu = await session.start();
    const code = async (payload: unknown) => {
      const ws = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
      const [hello] = (await once(ws, 'message')) as [Buffer];
      expect(JSON.parse(String(hello)).op).toBe(10);
      ws.send(JSON.stringify(payload));
      const [closeCode] = (await once(ws, 'close')) as [number];
      return closeCode;
    };
    expect(await code({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } })).toBe(4004);
    expect(await code({ op: 3, d: {} })).toBe(4003);
  });
});
