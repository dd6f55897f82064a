// REST behaviour of the Discord emulator through the real discord.js client and raw fetch.
import { AttachmentBuilder, ChannelType, DiscordAPIError, GatewayIntentBits, RESTEvents, Routes, type ForumChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { emulatorSession } from '../rigs/emulated-client.ts';
import { SAMPLE, snowflakeTimestamp, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';

const session = emulatorSession();

async function boot(overrides: Partial<DiscordEmulatorOptions> = {}) {
  const emu = await session.start(overrides);
  const c = await session.login(emu, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
  return { emu, client: c, guild: c.guilds.cache.get(SAMPLE.guildId)! };
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('discord emulator REST', () => {
  it('adds and removes roles, updates state and dispatches GUILD_MEMBER_UPDATE', async () => {
    const { emu, client: c, guild } = await boot();
    const updates: string[] = [];
    c.on('guildMemberUpdate', (_old, m) => updates.push([...m.roles.cache.keys()].sort().join()));
    const brian = await guild.members.fetch(SAMPLE.users.brian);
    await brian.roles.add(SAMPLE.roles.moderator);
    expect(emu.state.roleIdsOf(SAMPLE.users.brian)).toEqual([SAMPLE.roles.moderator]);
    await emu.waitFor(() => updates.length === 1);
    await brian.roles.remove(SAMPLE.roles.moderator);
    expect(emu.state.roleIdsOf(SAMPLE.users.brian)).toEqual([]);
    const add = emu.requests.find((r) => r.method === 'PUT' && r.path.includes('/roles/'));
    expect(add).toMatchObject({ status: 204, path: `/api/v10/guilds/${SAMPLE.guildId}/members/${SAMPLE.users.brian}/roles/${SAMPLE.roles.moderator}` });
  });

  it('refuses roles at or above the bot (50013) and unknown members (10007)', async () => {
    const { client: c } = await boot();
    const route = (user: string, role: string) => Routes.guildMemberRole(SAMPLE.guildId, user, role);
    await expect(c.rest.put(route(SAMPLE.users.ada, SAMPLE.roles.admin))).rejects.toMatchObject({ code: 50013, status: 403 });
    await expect(c.rest.put(route('1399999999999999999', SAMPLE.roles.member))).rejects.toMatchObject({ code: 10007, status: 404 });
    await expect(c.rest.put(route(SAMPLE.users.ada, '1399999999999999998'))).rejects.toMatchObject({ code: 10011 });
  });

  it('sends DMs, and a closed DM surfaces as DiscordAPIError 50007', async () => {
    const { emu, client: c } = await boot();
    const ada = await c.users.fetch(SAMPLE.users.ada);
    await ada.send('welcome!');
    const dm = emu.dmChannelId(SAMPLE.users.ada);
    expect(emu.state.messagesIn(dm).map((m) => m.content)).toEqual(['welcome!']);
    emu.setDmsClosed(SAMPLE.users.ada, true);
    const error = await ada.send('again').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50007);
    expect((error as DiscordAPIError).status).toBe(403);
  });

  it('stores messages with real snowflakes, lists them newest first, honours allowed_mentions', async () => {
    const { emu, client: c } = await boot();
    const channel = await c.channels.fetch(SAMPLE.channels.general);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const before = Date.now();
    const first = await channel.send({ content: `hi <@${SAMPLE.users.ada}>`, allowedMentions: { parse: [] } });
    const second = await channel.send({ content: `hi <@${SAMPLE.users.ada}>`, allowedMentions: { users: [SAMPLE.users.ada] } });
    expect(Math.abs(snowflakeTimestamp(first.id) - before)).toBeLessThan(5000);
    expect(first.createdTimestamp).toBe(snowflakeTimestamp(first.id));
    expect(first.mentions.users.size).toBe(0);
    expect(second.mentions.users.has(SAMPLE.users.ada)).toBe(true);
    const listed = await channel.messages.fetch({ limit: 10, cache: false });
    expect([...listed.keys()]).toEqual([second.id, first.id]);
    await second.edit('edited');
    expect(emu.state.findMessage(second.id)?.content).toBe('edited');
    await first.delete();
    expect(emu.state.messagesIn(SAMPLE.channels.general).map((m) => m.id)).toEqual([second.id]);
  });

  it('accepts multipart uploads and records attachment names and sizes', async () => {
    const { emu, client: c } = await boot();
    const channel = await c.channels.fetch(SAMPLE.channels.owners);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send({ content: 'weekly chart', files: [new AttachmentBuilder(PNG, { name: 'chart.png' })] });
    expect(sent.attachments.first()?.name).toBe('chart.png');
    const req = emu.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(req?.attachments).toEqual([{ field: 'files[0]', filename: 'chart.png', size: PNG.length, contentType: 'image/png' }]);
    expect(req?.body).toMatchObject({ content: 'weekly chart' });
    const download = await fetch(sent.attachments.first()!.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
  });

  it('creates forum posts with tags and archives threads', async () => {
    const { emu, client: c } = await boot();
    const forum = (await c.channels.fetch(SAMPLE.channels.forum)) as ForumChannel;
    expect(forum.type).toBe(ChannelType.GuildForum);
    await forum.setAvailableTags([{ name: 'open' }, { name: 'answered' }]);
    const open = forum.availableTags.find((t) => t.name === 'open')!;
    const post = await forum.threads.create({ name: 'How do I index?', message: { content: 'Question body' }, appliedTags: [open.id] });
    expect(post.appliedTags).toEqual([open.id]);
    expect(emu.state.messagesIn(post.id)[0]).toMatchObject({ id: post.id, content: 'Question body' });
    await post.setArchived(true);
    expect((emu.state.channels.get(post.id)?.thread_metadata as { archived: boolean }).archived).toBe(true);
    await expect(forum.threads.create({ name: 'x', message: { content: 'y' }, appliedTags: ['1399999999999999990'] })).rejects.toMatchObject({ code: 50035 });
  });

  it('pages and searches members', async () => {
    const { client: c, guild } = await boot();
    const page = (await c.rest.get(Routes.guildMembers(SAMPLE.guildId), { query: new URLSearchParams({ limit: '2' }) })) as { user: { id: string } }[];
    expect(page.map((m) => m.user.id)).toEqual([SAMPLE.ownerId, SAMPLE.applicationId].sort());
    const rest = (await c.rest.get(Routes.guildMembers(SAMPLE.guildId), { query: new URLSearchParams({ limit: '1000', after: page[1]!.user.id }) })) as unknown[];
    expect(page.length + rest.length).toBe(7);
    const found = await guild.members.search({ query: 'bri' });
    expect([...found.keys()]).toEqual([SAMPLE.users.brian]);
  });

  it('copes with per-route buckets: discord.js waits on the headers and every request succeeds', async () => {
    const { emu, client: c } = await boot({ rateLimits: { perRoute: { limit: 2, windowMs: 300 } } });
    const limited: unknown[] = [];
    c.rest.on(RESTEvents.RateLimited, (info) => limited.push(info));
    const channel = await c.channels.fetch(SAMPLE.channels.general);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => channel.send(`burst ${i}`)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(emu.state.messagesIn(SAMPLE.channels.general)).toHaveLength(6);
    const post = emu.requests.filter((r) => r.method === 'POST');
    expect(post.filter((r) => r.status === 200)).toHaveLength(6);
    expect(limited.length + emu.rateLimitCounts.routeLimited).toBeGreaterThan(0);
  });

  it('copes with the global cap: 429s with X-RateLimit-Global are retried', async () => {
    const { emu, client: c } = await boot({ rateLimits: { globalPerSecond: 3 } });
    const members = [SAMPLE.users.ada, SAMPLE.users.brian, SAMPLE.ownerId, SAMPLE.applicationId];
    const results = await Promise.all([...members, ...members].map((id) => c.rest.get(Routes.guildMember(SAMPLE.guildId, id))));
    expect(results).toHaveLength(8);
    expect(emu.rateLimitCounts.globalLimited).toBeGreaterThan(0);
    const limited = emu.requests.find((r) => r.status === 429);
    expect(limited?.response).toMatchObject({ global: true });
  });

  it('answers unknown routes 404 and bad tokens 401', async () => {
    const logs: string[] = [];
    const seen: string[] = [];
    const emu = await session.start({ logger: (l) => logs.push(l), onRequest: (r) => seen.push(`${r.status} ${r.path}`) });
    const auth = { authorization: `Bot ${SAMPLE.token}` };
    const missing = await fetch(`${emu.apiUrl}/v10/nowhere/at/all`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(logs.some((l) => l.includes('unknown route GET /api/v10/nowhere/at/all'))).toBe(true);
    const bad = await fetch(`${emu.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const c = session.client(emu, { intents: [] });
    await expect(c.login('not-the-token')).rejects.toThrow(/token/i);
    expect(emu.requests.at(-1)?.headers.authorization).toBe('Bot not-the-token');
    expect(seen).toEqual(emu.requests.map((r) => `${r.status} ${r.path}`));
    expect(seen[0]).toBe('404 /api/v10/nowhere/at/all');
  });
});
