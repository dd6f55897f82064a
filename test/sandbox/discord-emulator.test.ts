// The real discord.js client against the local Discord emulator: login, commands and interactions.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, DiscordAPIError, GatewayIntentBits, MessageFlags, ModalBuilder, Routes, SlashCommandBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { emulatorSession } from '../rigs/emulated-client.ts';
import { SAMPLE, type DiscordEmulatorOptions } from '../../src/sandbox/discord/index.ts';

const session = emulatorSession();

async function boot(overrides: Partial<DiscordEmulatorOptions> = {}, onInteraction?: (i: Interaction) => Promise<void>) {
  const emu = await session.start(overrides);
  const errors: unknown[] = [];
  const c = await session.login(emu, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildMessages], allowedMentions: { parse: [] } }, (client) => {
    if (onInteraction) client.on('interactionCreate', (i) => void onInteraction(i).catch((e: unknown) => errors.push(e)));
  });
  return { emu, client: c, errors };
}

const commands = [
  new SlashCommandBuilder().setName('about').setDescription('What this bot is'),
  new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question')
    .addStringOption((o) => o.setName('topic').setDescription('Topic').setRequired(true).setAutocomplete(true))
    .addIntegerOption((o) => o.setName('bounty').setDescription('Bounty'))
    .addUserOption((o) => o.setName('expert').setDescription('Who should answer')),
].map((c) => c.toJSON());

describe('discord emulator with the real discord.js client', () => {
  it('logs in, sends READY and a full GUILD_CREATE, and records the identify intents', async () => {
    const { emu, client: c } = await boot();
    const guild = c.guilds.cache.get(SAMPLE.guildId);
    expect(guild?.name).toBe('Guildhall Sandbox');
    expect(guild?.channels.cache.get(SAMPLE.channels.general)?.name).toBe('general');
    expect(guild?.roles.cache.get(SAMPLE.roles.member)?.name).toBe('Member');
    expect(guild?.members.cache.get(SAMPLE.users.ada)?.roles.cache.has(SAMPLE.roles.member)).toBe(true);
    expect(guild?.members.me?.permissions.has('ManageRoles')).toBe(true);
    expect(c.user?.id).toBe(SAMPLE.applicationId);
    expect(c.application?.id).toBe(SAMPLE.applicationId);
    expect(emu.state.identifies[0]?.intents).toBe(1 | 2 | 512);
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/v10/gateway/bot');
    await emu.waitForReady();
  });

  it('registers guild commands by bulk overwrite and keeps ids stable', async () => {
    const { emu, client: c } = await boot();
    const first = await c.application!.commands.set(commands, SAMPLE.guildId);
    expect([...first.values()].map((x) => x.name).sort()).toEqual(['about', 'ask']);
    const aboutId = emu.state.guildCommands.find((x) => x.name === 'about')?.id;
    await c.application!.commands.set([commands[0]!], SAMPLE.guildId);
    expect(emu.state.guildCommands.map((x) => x.name)).toEqual(['about']);
    expect(emu.state.guildCommands[0]?.id).toBe(aboutId);
    const put = emu.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/v10/applications/${SAMPLE.applicationId}/guilds/${SAMPLE.guildId}/commands`);
    await expect(c.application!.commands.set([{ name: 'Bad Name', description: 'x' }], SAMPLE.guildId)).rejects.toMatchObject({ code: 50035 });
  });

  it('answers a slash command with reply, then a follow-up', async () => {
    const { emu, client: c } = await boot({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: `Hello ${i.user.username}, topic=${i.options.getString('topic')} bounty=${i.options.getInteger('bounty')} expert=${i.options.getUser('expert')?.username}` });
      await i.followUp({ content: 'and one more thing', flags: MessageFlags.Ephemeral });
    });
    await c.application!.commands.set(commands, SAMPLE.guildId);
    const h = emu.runCommand({ userId: SAMPLE.users.ada, name: 'ask', options: { topic: 'sql', bounty: 5, expert: SAMPLE.users.brian } });
    const seen = await h.visibleReply();
    expect(seen).toMatchObject({ kind: 'reply', ephemeral: false, content: 'Hello ada, topic=sql bounty=5 expert=brian' });
    const follow = await h.waitForResponse((r) => r.kind === 'followup');
    expect(follow.ephemeral).toBe(true);
    expect((h.raw.data as { id: string }).id).toBe(emu.state.guildCommands.find((x) => x.name === 'ask')?.id);
    expect(emu.state.messagesIn(SAMPLE.channels.general).map((m) => m.content)).toEqual([seen.content]);
  });

  it('handles deferReply + editReply as the first visible edit', async () => {
    const { emu } = await boot({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await new Promise((r) => setTimeout(r, 20));
      await i.editReply({ content: 'done thinking' });
    });
    const h = emu.runCommand({ userId: SAMPLE.users.ada, name: 'about' });
    expect(await h.visibleReply()).toMatchObject({ kind: 'edit', content: 'done thinking', ephemeral: true });
    expect(h.responses.map((r) => r.kind)).toEqual(['callback', 'edit-original']);
    expect(h.responses[0]?.callbackType).toBe(5);
  });

  it('counts a follow-up after deferReply as the visible reply (it replaces the "thinking" message)', async () => {
    const { emu } = await boot({}, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.followUp({ content: 'here you go' });
    });
    const h = emu.runCommand({ userId: SAMPLE.users.ada, name: 'about' });
    expect(await h.visibleReply()).toMatchObject({ kind: 'followup', content: 'here you go', ephemeral: false });
    // Discord edits the deferred message instead of adding one.
    expect(emu.state.messagesIn(SAMPLE.channels.general).map((m) => m.content)).toEqual(['here you go']);
  });

  it('dispatches user and message context menu commands with resolved targets', async () => {
    const { emu, client: c } = await boot({}, async (i) => {
      if (i.isUserContextMenuCommand()) await i.reply({ content: `user ${i.targetUser.username} member=${Boolean(i.targetMember)}` });
      if (i.isMessageContextMenuCommand()) await i.reply({ content: `message ${i.targetMessage.content}` });
    });
    const channel = await c.channels.fetch(SAMPLE.channels.general);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send('target text');
    const user = emu.runCommand({ userId: SAMPLE.ownerId, name: 'Inspect', type: 2, targetId: SAMPLE.users.ada });
    expect((await user.visibleReply()).content).toBe('user ada member=true');
    const message = emu.runCommand({ userId: SAMPLE.ownerId, name: 'Report', type: 3, targetId: sent.id });
    expect((await message.visibleReply()).content).toBe('message target text');
  });

  it('builds complete INTERACTION_CREATE payloads with permissions computed from roles', async () => {
    const { emu } = await boot({}, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `admin=${i.memberPermissions?.has('Administrator')} manage=${i.appPermissions.has('ManageRoles')}` });
    });
    emu.state.member(SAMPLE.users.brian)!.roles.push(SAMPLE.roles.admin);
    const h = emu.runCommand({ userId: SAMPLE.users.brian, name: 'about' });
    expect((await h.visibleReply()).content).toBe('admin=true manage=true');
    expect(h.raw).toMatchObject({
      application_id: SAMPLE.applicationId, type: 2, version: 1, guild_id: SAMPLE.guildId, channel_id: SAMPLE.channels.general,
      locale: 'en-US', guild_locale: 'en-US', entitlements: [], context: 0, authorizing_integration_owners: { 0: SAMPLE.guildId },
      member: { user: { id: SAMPLE.users.brian }, roles: [SAMPLE.roles.admin] },
    });
    expect(typeof (h.raw.member as { permissions: unknown }).permissions).toBe('string');
    expect(h.token.length).toBeGreaterThan(60);
  });

  it('shows a modal and receives its submission', async () => {
    const { emu } = await boot({}, async (i) => {
      if (i.isChatInputCommand()) {
        const modal = new ModalBuilder().setCustomId('ask:modal').setTitle('Ask').addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId('question').setLabel('Question').setStyle(TextInputStyle.Paragraph)),
        );
        await i.showModal(modal);
      } else if (i.isModalSubmit()) {
        await i.reply({ content: `got: ${i.fields.getTextInputValue('question')}`, flags: MessageFlags.Ephemeral });
      }
    });
    const cmd = emu.runCommand({ userId: SAMPLE.users.ada, name: 'about' });
    const modal = await cmd.visibleReply();
    expect(modal.kind).toBe('modal');
    expect(modal.data.custom_id).toBe('ask:modal');
    const submit = emu.submitModal({ userId: SAMPLE.users.ada, customId: 'ask:modal', fields: { question: 'Why SQLite?' } });
    expect(await submit.visibleReply()).toMatchObject({ kind: 'reply', content: 'got: Why SQLite?', ephemeral: true });
  });

  it('mirrors a modal built from label components (the current Discord shape)', async () => {
    const { emu } = await boot({}, async (i) => {
      if (i.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('report')
          .setTitle('Report')
          .addLabelComponents(
            (l) => l.setLabel('Why').setTextInputComponent((t) => t.setCustomId('why').setStyle(TextInputStyle.Short)),
            (l) => l.setLabel('Severity').setStringSelectMenuComponent((m) => m.setCustomId('severity').addOptions({ label: 'Low', value: 'low' }, { label: 'High', value: 'high' })),
          );
        await i.showModal(modal);
      } else if (i.isModalSubmit()) {
        await i.reply({ content: `${i.fields.getTextInputValue('why')}/${i.fields.getStringSelectValues('severity').join()}` });
      }
    });
    await emu.runCommand({ userId: SAMPLE.users.ada, name: 'report' }).visibleReply();
    const submit = emu.submitModal({ userId: SAMPLE.users.ada, customId: 'report', fields: { why: 'spam', severity: ['high'] } });
    expect((await submit.visibleReply()).content).toBe('spam/high');
    expect((submit.raw.data as { components: { type: number }[] }).components.map((c) => c.type)).toEqual([18, 18]);
  });

  it('routes a button click answered with update, and a select menu', async () => {
    const { emu, client: c } = await boot({}, async (i) => {
      if (i.isButton()) await i.update({ content: `clicked ${i.customId}`, components: [] });
      else if (i.isStringSelectMenu()) await i.reply({ content: `picked ${i.values.join(',')}` });
    });
    const channel = await c.channels.fetch(SAMPLE.channels.general);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send({
      content: 'Choose',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('vote:yes').setLabel('Yes').setStyle(ButtonStyle.Primary)),
        new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
          new StringSelectMenuBuilder().setCustomId('pick').addOptions({ label: 'A', value: 'a' }, { label: 'B', value: 'b' }),
        ),
      ],
    });
    const pick = emu.selectMenu({ userId: SAMPLE.users.ada, message: sent.id, customId: 'pick', values: ['b'] });
    expect((await pick.visibleReply()).content).toBe('picked b');
    const click = emu.clickButton({ userId: SAMPLE.users.ada, message: sent.id, customId: 'vote:yes' });
    expect(await click.visibleReply()).toMatchObject({ kind: 'update', content: 'clicked vote:yes', components: [] });
    expect(emu.state.findMessage(sent.id)?.content).toBe('clicked vote:yes');
    expect(() => emu.clickButton({ userId: SAMPLE.users.ada, message: sent.id, customId: 'missing' })).toThrow(/no component/);
  });

  it('treats deferUpdate + editReply on a component as an update of its message', async () => {
    const { emu, client: c } = await boot({}, async (i) => {
      if (!i.isButton()) return;
      await i.deferUpdate();
      await i.editReply({ content: 'counted', components: [] });
    });
    const channel = await c.channels.fetch(SAMPLE.channels.general);
    if (!channel?.isSendable()) throw new Error('not sendable');
    const sent = await channel.send({
      content: 'Vote',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('v').setLabel('V').setStyle(ButtonStyle.Secondary))],
    });
    const h = emu.clickButton({ userId: SAMPLE.users.brian, message: sent.id, customId: 'v' });
    expect(await h.visibleReply()).toMatchObject({ kind: 'update', content: 'counted', components: [] });
    expect(emu.state.findMessage(sent.id)?.content).toBe('counted');
  });

  it('answers autocomplete with choices', async () => {
    const { emu, client: c } = await boot({}, async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(['sql', 'sqlite', 'stripe'].filter((x) => x.startsWith(typed)).map((x) => ({ name: x, value: x })));
    });
    await c.application!.commands.set(commands, SAMPLE.guildId);
    const h = emu.autocomplete({ userId: SAMPLE.users.ada, name: 'ask', options: { topic: 'sq' } });
    const seen = await h.visibleReply();
    expect(seen.kind).toBe('autocomplete');
    expect(seen.data.choices).toEqual([{ name: 'sql', value: 'sql' }, { name: 'sqlite', value: 'sqlite' }]);
  });

  it('rejects a second acknowledgement (40060) and a late first one (10062)', async () => {
    const { emu, errors } = await boot({ interactionCallbackTimeoutMs: 100 }, async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'slow') await new Promise((r) => setTimeout(r, 200));
      await i.reply({ content: 'one' });
      // discord.js itself refuses a second reply, so go around it the way a second process would.
      if (i.commandName === 'twice') {
        await i.client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'two' } }, auth: false });
      }
    });
    const twice = emu.runCommand({ userId: SAMPLE.users.ada, name: 'twice' });
    await twice.waitForResponse((r) => !r.ok);
    expect(twice.responses.map((r) => r.status)).toEqual([204, 400]);
    const slow = emu.runCommand({ userId: SAMPLE.users.ada, name: 'slow' });
    const late = await slow.waitForResponse((r) => !r.ok);
    expect(late.error).toEqual({ code: 10062, message: 'Unknown interaction' });
    await emu.waitFor(() => errors.length === 2);
    expect(errors.every((e) => e instanceof DiscordAPIError)).toBe(true);
    expect(errors.map((e) => (e as DiscordAPIError).code)).toEqual([40060, 10062]);
  });

  it('still dispatches a command that is not registered, with a fresh id', async () => {
    const { emu } = await boot({}, async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `Unknown command /${i.commandName}`, flags: MessageFlags.Ephemeral });
    });
    const h = emu.runCommand({ userId: SAMPLE.users.brian, name: 'gone' });
    expect((await h.visibleReply()).content).toBe('Unknown command /gone');
  });
});
