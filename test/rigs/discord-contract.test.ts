import { REST, DiscordAPIError } from '@discordjs/rest';
import {
  ChatInputCommandInteraction,
  Client,
  ContextMenuCommandBuilder,
  DMChannel,
  ApplicationCommandType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  contractMakeRequest,
  createContractRecorder,
  discordContractAvailable,
  loadDiscordContract,
  type ContractRequest,
  type DiscordContract,
  type RigResponder,
} from './discord-contract.ts';

const available = discordContractAvailable();
if (!available) console.warn('skipped: ../shared/discord-api-spec/openapi.json not found (CI has it beside the repo; see README "Tests")');

const APP = '1100000000000000001';
const GUILD = '1100000000000000002';
const CHANNEL = '1100000000000000003';
const USER = '1100000000000000004';
const ROLE = '1100000000000000005';
const INTERACTION = '1100000000000000006';
const TOKEN = 'aW50ZXJhY3Rpb246MTEwMDAwMDAwMDAwMDAwMDAwNjp0b2tlbg';

const about = new SlashCommandBuilder()
  .setName('about')
  .setDescription('What this community is and how membership works')
  .addStringOption((o) => o.setName('topic').setDescription('Which part to explain').setRequired(false));

const ask = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask the community a question')
  .setDefaultMemberPermissions(PermissionFlagsBits.SendMessages) // discord.js sends this bit set as a string
  .addSubcommand((s) => s.setName('question').setDescription('Post a question').addStringOption((o) => o.setName('text').setDescription('Your question').setRequired(true)));

describe.skipIf(!available)('Discord contract rig', () => {
  let contract: DiscordContract;
  let loadMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    contract = await loadDiscordContract();
    loadMs = performance.now() - started;
    console.info(`loadDiscordContract: ${loadMs.toFixed(0)} ms (validators then compile per operation on first use)`);
  });

  it('loads once per process, quickly', async () => {
    expect(loadMs).toBeLessThan(5_000);
    expect(await loadDiscordContract()).toBe(contract);
  });

  const valid: [string, ContractRequest][] = [
    ['a message with allowed_mentions', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages`, body: { content: 'Welcome!', allowed_mentions: { parse: [] } } }],
    ['a bulk command overwrite built by SlashCommandBuilder', { method: 'PUT', path: `/api/v10/applications/${APP}/guilds/${GUILD}/commands`, body: [about.toJSON(), ask.toJSON()] }],
    ['an ephemeral interaction reply', { method: 'POST', path: `/api/v10/interactions/${INTERACTION}/${TOKEN}/callback`, query: { with_response: 'false' }, body: { type: 4, data: { content: 'Only you see this', flags: 64 } } }],
    ['an edit of @original, percent-encoded', { method: 'PATCH', path: `/api/v10/webhooks/${APP}/${TOKEN}/messages/%40original`, body: { content: 'Edited' } }],
    ['a role grant without body', { method: 'PUT', path: `/api/v10/guilds/${GUILD}/members/${USER}/roles/${ROLE}` }],
    ['permissions sent as a string', { method: 'POST', path: `/api/v10/guilds/${GUILD}/roles`, body: { name: 'Member', permissions: '8' } }],
    ['a full URL with a query', { method: 'GET', path: `https://discord.com/api/v10/channels/${CHANNEL}/messages?limit=50` }],
  ];
  it.each(valid)('accepts %s', (_name, req) => {
    expect(contract.validate(req)).toMatchObject({ ok: true, errors: [] });
  });

  const invalid: [string, ContractRequest, RegExp][] = [
    ['an unknown route', { method: 'GET', path: '/api/v10/guilds/1/no-such-thing' }, /GET \/guilds\/1\/no-such-thing: no route in Discord's OpenAPI spec/],
    ['a wrong method', { method: 'DELETE', path: `/api/v10/channels/${CHANNEL}/messages` }, /Discord has no DELETE here \(it has GET \/channels\/\{channel_id\}\/messages, POST/],
    ['an embed title that is a number', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages`, body: { embeds: [{ title: 5 }] } }, /^POST \/channels\/\{channel_id\}\/messages: body\/embeds\/0\/title must be string or null \(got number 5\)$/],
    ['content of the wrong type', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages`, body: { content: { text: 'hi' } } }, /body\/content must be string or null \(got object/],
    ['a camelCase field Discord would ignore', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages`, body: { content: 'x', allowedMentions: { parse: [] } } }, /body\/allowedMentions is camelCase; .*\(did you mean allowed_mentions\?\)/],
    ['a command name with uppercase', { method: 'PUT', path: `/api/v10/applications/${APP}/guilds/${GUILD}/commands`, body: [{ ...about.toJSON(), name: 'About' }] }, /body\/0\/name "About" must be lowercase/],
    ['a command name with a space', { method: 'POST', path: `/api/v10/applications/${APP}/commands`, body: { name: 'my stats', description: 'x' } }, /body\/name "my stats" must be 1-32 letters/],
    ['an option name with uppercase', { method: 'PUT', path: `/api/v10/applications/${APP}/commands`, body: [{ name: 'ask', description: 'x', options: [{ type: 3, name: 'Text', description: 'x' }] }] }, /body\/0\/options\/0\/name "Text" must be lowercase/],
    ['a callback with an unknown type', { method: 'POST', path: `/api/v10/interactions/${INTERACTION}/${TOKEN}/callback`, body: { type: 99 } }, /body\/type must be one of 1, 4, 5, 6, 7, 8, 9, 12, 13 \(got number 99\)/],
    ['reply data of the wrong type (the branch for type 4 is the one explained)', { method: 'POST', path: `/api/v10/interactions/${INTERACTION}/${TOKEN}/callback`, body: { type: 4, data: { content: 7 } } }, /body\/data\/content must be string or null \(got number 7\)/],
    ['an allowed_mentions value Discord does not know', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages`, body: { content: 'x', allowed_mentions: { parse: ['nobody'] } } }, /body\/allowed_mentions\/parse\/0 must be one of "users", "roles", "everyone"/],
    ['a malformed snowflake', { method: 'PUT', path: `/api/v10/guilds/${GUILD}/members/${USER}/roles/member` }, /path\/role_id must be a snowflake/],
    ['a query value out of range', { method: 'GET', path: `/api/v10/channels/${CHANNEL}/messages?limit=500` }, /query\/limit must be <= 100/],
    ['a missing body', { method: 'POST', path: `/api/v10/channels/${CHANNEL}/messages` }, /body is required/],
  ];
  it.each(invalid)('rejects %s with a readable error', (_name, req, message) => {
    const verdict = contract.validate(req);
    expect(verdict.ok).toBe(false);
    expect(verdict.errors).toHaveLength(1);
    expect(verdict.errors[0]).toMatch(message);
  });

  it('allows mixed case and spaces for user and message commands only', () => {
    const menu = new ContextMenuCommandBuilder().setName('Report Post').setType(ApplicationCommandType.Message).toJSON();
    const put = (body: unknown) => contract.validate({ method: 'PUT', path: `/api/v10/applications/${APP}/commands`, body });
    expect(put([menu]).errors).toEqual([]);
    expect(put([{ name: 'Report Post', description: 'x' }]).ok).toBe(false);
  });

  it('lists every bad request when the recorder is asserted', () => {
    const recorder = createContractRecorder(contract);
    recorder.record(valid[0]![1]);
    recorder.record(invalid[0]![1]);
    recorder.record(invalid[2]![1]);
    expect(recorder.violations).toHaveLength(2);
    expect(() => recorder.assertClean()).toThrowError(/2 of 3 requests[\s\S]*no-such-thing[\s\S]*embeds\/0\/title/);
  });

  describe('the real discord.js, captured through makeRequest', () => {
    const respond: RigResponder = (req, verdict) => {
      if (req.method === 'PUT' && Array.isArray(req.body)) return { status: 200, body: req.body.map((c: object, i) => ({ ...c, id: `12000000000000000${i}`, application_id: APP, version: '1' })) };
      if (verdict.operationId === 'create_interaction_response' || req.method === 'PUT') return { status: 204 };
      if (verdict.operationId === 'create_guild_role') return { status: 200, body: { id: ROLE, name: 'Member', permissions: '8', position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 } };
      return { status: 200, body: fakeMessage(req.body) };
    };

    it('validates commands, messages, files, roles and interaction replies sent by REST', async () => {
      const recorder = createContractRecorder(contract);
      const rest = new REST({ makeRequest: contractMakeRequest(recorder, respond) }).setToken('test-token');
      await rest.put(Routes.applicationGuildCommands(APP, GUILD), { body: [about.toJSON(), ask.toJSON()] });
      await rest.post(Routes.channelMessages(CHANNEL), { body: { content: 'Welcome!', allowed_mentions: { parse: [] } } });
      await rest.post(Routes.channelMessages(CHANNEL), { body: { content: 'Digest', allowed_mentions: { parse: [] } }, files: [{ name: 'digest.txt', data: Buffer.from('week 1') }] });
      await rest.put(Routes.guildMemberRole(GUILD, USER, ROLE), { reason: 'membership active' });
      await rest.post(Routes.guildRoles(GUILD), { body: { name: 'Member', permissions: PermissionFlagsBits.Administrator.toString() } });
      const reply = { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Hi', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } };
      await rest.post(Routes.interactionCallback(INTERACTION, TOKEN), { body: reply, auth: false });
      await rest.post(Routes.webhook(APP, TOKEN), { body: { content: 'Follow-up', flags: MessageFlags.Ephemeral }, auth: false });
      await rest.patch(Routes.webhookMessage(APP, TOKEN, '@original'), { body: { content: 'Edited' }, auth: false });
      recorder.assertClean();
      expect(recorder.requests).toHaveLength(8);
      const upload = recorder.requests[2]!.req;
      expect(upload.files).toEqual([expect.objectContaining({ key: 'files[0]', name: 'digest.txt' })]);
      expect(upload.headers?.['authorization']).toBe('Bot [redacted]');
    });

    it('answers a bad request like Discord (400 / 404) and still fails assertClean', async () => {
      const recorder = createContractRecorder(contract);
      const rest = new REST({ makeRequest: contractMakeRequest(recorder, respond), retries: 0 }).setToken('test-token');
      const bad = rest.post(Routes.channelMessages(CHANNEL), { body: { content: 'x', embeds: [{ title: 5 }] } });
      await expect(bad).rejects.toSatisfy((e) => e instanceof DiscordAPIError && e.status === 400 && e.code === 50035);
      await expect(rest.get('/guilds/1/no-such-thing')).rejects.toSatisfy((e) => e instanceof DiscordAPIError && e.status === 404);
      expect(() => recorder.assertClean()).toThrowError(/body\/embeds\/0\/title must be string or null/);
    });

    it('validates what discord.js structures send: reply, editReply, followUp, channel.send', async () => {
      const recorder = createContractRecorder(contract);
      const client = new Client({ intents: [], rest: { makeRequest: contractMakeRequest(recorder, respond) } });
      client.rest.setToken('test-token');
      try {
        const interaction: ChatInputCommandInteraction = Reflect.construct(ChatInputCommandInteraction, [client, rawChatInput()]);
        await interaction.reply({ content: 'Only you see this', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
        await interaction.editReply({ content: 'Edited', allowedMentions: { parse: [] } });
        await interaction.followUp({ content: 'One more thing', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
        const dm: DMChannel = Reflect.construct(DMChannel, [client, { id: CHANNEL, type: 1, recipients: [rawUser()] }]);
        await dm.send({ content: 'Your membership is active', allowedMentions: { parse: [] }, embeds: [{ title: 'Welcome', timestamp: new Date(0).toISOString() }] });
        recorder.assertClean();
        expect(recorder.requests.map((r) => r.verdict.operationId)).toEqual([
          'create_interaction_response',
          'update_original_webhook_message',
          'execute_webhook',
          'create_message',
        ]);
      } finally {
        await client.destroy();
      }
    });
  });
});

function rawUser() {
  return { id: USER, username: 'member', discriminator: '0', global_name: 'Member', avatar: null };
}

function rawChatInput() {
  return {
    id: INTERACTION,
    application_id: APP,
    type: 2,
    token: TOKEN,
    version: 1,
    locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 1,
    attachment_size_limit: 8_388_608,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 1 },
    user: rawUser(),
    data: { id: '1200000000000000000', name: 'about', type: 1 },
  };
}

function fakeMessage(body: unknown) {
  const content = typeof body === 'object' && body !== null && 'content' in body ? String(body.content) : '';
  return {
    id: '1300000000000000000',
    channel_id: CHANNEL,
    author: { ...rawUser(), id: APP, username: 'guildhall', bot: true },
    content,
    timestamp: new Date(0).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
  };
}
