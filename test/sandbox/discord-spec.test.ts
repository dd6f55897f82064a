// Checks the emulator against Discord's OpenAPI description: every request discord.js sent it is a
// valid Discord request (the contract rig), and every JSON answer it gave matches the response schema.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { AttachmentBuilder, Client, GatewayIntentBits, MessageFlags, SlashCommandBuilder, type ForumChannel } from 'discord.js';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { describe, expect, it } from 'vitest';
import { emulatorSession } from '../rigs/emulated-client.ts';
import { SAMPLE, type DiscordEmulator, type RecordedRequest } from '../../src/sandbox/discord/index.ts';
import { discordContractAvailable, discordSpecPath, loadDiscordContract } from '../rigs/discord-contract.ts';

const session = emulatorSession();

async function responseValidator() {
  const api = new OpenAPIBackend({
    definition: JSON.parse(readFileSync(discordSpecPath, 'utf8')) as Document,
    quick: true,
    validate: true,
    ajvOpts: { strict: false, allErrors: true, code: { optimize: false } },
    customizeAjv: (ajv) => {
      for (const format of ['snowflake', 'int32', 'int64', 'double', 'nonce', 'uri', 'uuid', 'date-time', 'email']) ajv.addFormat(format, true);
      return ajv;
    },
  });
  await api.init();
  return (r: RecordedRequest): string[] => {
    const operation = api.matchOperation({ method: r.method, path: r.path.replace(/^\/api\/v10/, ''), headers: {} });
    if (!operation) return [`${r.method} ${r.path}: not in the spec`];
    if (r.response === undefined) return [];
    const result = api.validateResponse(r.response, operation, r.status);
    return (result.errors ?? []).map((e) => `${r.method} ${operation.path} ${r.status}: ${e.instancePath} ${e.message}`);
  };
}

/** Drives most of what the bot does, so the recording covers the emulator's routes. */
async function scenario(emu: DiscordEmulator, c: Client): Promise<void> {
  c.on('interactionCreate', async (i) => {
    if (!i.isChatInputCommand()) return;
    if (i.commandName === 'about') {
      await i.reply({ content: 'about', withResponse: true });
      return;
    }
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    await i.editReply('edited');
    await i.followUp({ content: 'follow', files: [new AttachmentBuilder(Buffer.from('x'), { name: 'x.txt' })] });
    await i.fetchReply();
    await i.deleteReply();
  });
  await c.application!.commands.set(
    ['about', 'stats'].map((name) => new SlashCommandBuilder().setName(name).setDescription(name).toJSON()),
    SAMPLE.guildId,
  );
  await c.application!.fetch();
  await emu.runCommand({ userId: SAMPLE.users.ada, name: 'about' }).visibleReply();
  await emu.runCommand({ userId: SAMPLE.users.ada, name: 'stats' }).waitForResponse((r) => r.kind === 'delete-original');
  const guild = c.guilds.cache.get(SAMPLE.guildId)!;
  await guild.fetch();
  await guild.roles.fetch();
  await guild.channels.fetch();
  await guild.members.fetch({ user: SAMPLE.users.ada, force: true });
  await guild.members.list({ limit: 5 });
  await guild.members.search({ query: 'a' });
  const brian = await guild.members.fetch(SAMPLE.users.brian);
  await brian.roles.add(SAMPLE.roles.member);
  await brian.roles.remove(SAMPLE.roles.member);
  const ada = await c.users.fetch(SAMPLE.users.ada, { force: true });
  await ada.send({ content: 'hi', files: [new AttachmentBuilder(Buffer.from('abc'), { name: 'a.txt' })] });
  const general = await c.channels.fetch(SAMPLE.channels.general);
  if (!general?.isSendable() || !general.isTextBased()) throw new Error('general is not a text channel');
  const message = await general.send({ content: 'hello', allowedMentions: { parse: [] } });
  await message.edit('edited');
  await general.messages.fetch({ limit: 5 });
  await general.messages.fetch({ message: message.id, force: true });
  await message.react('👍');
  const forum = (await c.channels.fetch(SAMPLE.channels.forum)) as ForumChannel;
  await forum.setAvailableTags([{ name: 'open' }]);
  const post = await forum.threads.create({ name: 'q', message: { content: 'b' }, appliedTags: [forum.availableTags[0]!.id] });
  await post.setArchived(true);
  await message.delete();
}

describe.skipIf(!discordContractAvailable())(`discord emulator vs Discord's OpenAPI (${discordSpecPath})`, () => {
  it('serves valid responses to valid requests', async () => {
    const emu = await session.start();
    const c = await session.login(emu, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
    await scenario(emu, c);

    const contract = await loadDiscordContract();
    const validateResponse = await responseValidator();
    const requestErrors = emu.requests.flatMap((r) => contract.validate(r).errors);
    const responseErrors = emu.requests.flatMap(validateResponse);
    expect(requestErrors).toEqual([]);
    expect(responseErrors).toEqual([]);
    expect(emu.requests.every((r) => r.status < 400)).toBe(true);
    // The scenario must really have covered the routes, or this test proves little.
    const routes = new Set(emu.requests.map((r) => `${r.method} ${r.path.split('/')[3]}`));
    expect(routes.size).toBeGreaterThanOrEqual(12);
  }, 30_000);
});
