import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, TEST_COMMANDS_DIR, type BotRig } from '../rigs/bot.ts';

describe('the dispatcher, driven through the Discord emulator', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  const failWith = async (how: string) => {
    rig ??= await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    return rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'fails', options: { how } });
  };
  const refOf = (text: string | undefined) => /\(ref ([0-9A-F]{8})\)/.exec(text ?? '')?.[1];

  it('turns an expected error into its member-facing message, privately', async () => {
    const seen = await (await failWith('user')).visibleReply();
    expect(seen).toMatchObject({ kind: 'reply', ephemeral: true });
    expect(seen.content).toBe("You're doing that too often. Try again in 5 minutes.");
  });

  it('turns an unknown error into "something went wrong (ref X)" with X logged beside the error', async () => {
    const seen = await (await failWith('crash')).visibleReply();
    expect(seen).toMatchObject({ kind: 'reply', ephemeral: true });
    const ref = refOf(seen.content);
    expect(ref).toBeDefined();
    const logged = rig!.logs.entries().find((e) => e.ref === ref);
    expect(logged).toMatchObject({ msg: 'interaction failed', err: { message: 'kaboom: database on fire' } });
    expect(seen.content).not.toContain('kaboom');
  });

  it('edits the private "thinking" placeholder when the command deferred privately', async () => {
    const handle = await failWith('defer-private');
    const edit = await handle.waitForResponse((r) => r.kind === 'edit-original');
    expect(handle.responses[0]).toMatchObject({ kind: 'callback', callbackType: 5 });
    expect(refOf((edit.body as { content?: string }).content)).toBeDefined();
  });

  it('replaces a public "thinking" placeholder with a private message when the command deferred publicly', async () => {
    const handle = await failWith('defer-public');
    const followup = await handle.waitForResponse((r) => r.kind === 'followup');
    expect(handle.responses.map((r) => r.kind)).toEqual(['callback', 'delete-original', 'followup']);
    expect(followup.ephemeral).toBe(true);
    expect(refOf((followup.body as { content?: string }).content)).toBeDefined();
  });

  it('follows up privately when the command had already replied', async () => {
    const handle = await failWith('after-reply');
    const followup = await handle.waitForResponse((r) => r.kind === 'followup');
    expect(followup.ephemeral).toBe(true);
    expect(handle.responses[0]).toMatchObject({ kind: 'callback', callbackType: 4 });
  });

  it('answers a stale command name politely', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const seen = await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'retired-command' }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toContain('no longer exists');
  });

  it('enforces default_member_permissions on the server side too', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const denied = await rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'modonly' }).visibleReply();
    expect(denied).toMatchObject({ ephemeral: true, content: "You don't have permission to do that." });
    await rig.discord.addMember({ id: '1300000000000000777', username: 'mia' }, { roles: [SAMPLE.roles.moderator] });
    const allowed = await rig.discord.runCommand({ userId: '1300000000000000777', name: 'modonly' }).visibleReply();
    expect(allowed.content).toBe('secret moderator stuff');
  });

  it('routes buttons by custom_id prefix and reports unknown prefixes as expired', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const general = SAMPLE.channels.general;
    const buttons = ['boom:ok', 'boom:bad', 'gone:123'].map((id) => new ButtonBuilder().setCustomId(id).setLabel(id).setStyle(ButtonStyle.Primary));
    const components = [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)];
    const channel = await rig.app.client.channels.fetch(general);
    const message = channel?.isSendable() ? await channel.send({ content: 'pick', components }) : undefined;
    const ok = await rig.discord.clickButton({ userId: SAMPLE.users.ada, message: message!.id, customId: 'boom:ok', channelId: general }).visibleReply();
    expect(ok).toMatchObject({ kind: 'update', content: 'clicked' });
    const crash = await rig.discord.clickButton({ userId: SAMPLE.users.ada, message: message!.id, customId: 'boom:bad', channelId: general }).visibleReply();
    expect(crash.content).toMatch(/ref [0-9A-F]{8}/);
    const stale = await rig.discord.clickButton({ userId: SAMPLE.users.ada, message: message!.id, customId: 'gone:123', channelId: general }).visibleReply();
    expect(stale.content).toContain('This has expired');
  });

  it('pings nobody by default, even when content says @everyone, @here or a role', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const handle = rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'ping', channelId: SAMPLE.channels.general });
    await handle.waitForResponse((r) => r.kind === 'followup');
    type Body = { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } };
    // A callback carries the message under `data`; follow-ups and channel posts carry it at the top.
    const sent = handle.responses.map((r) => r.body as Body).map((b) => b.data ?? b);
    const channelPost = rig.discord.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${SAMPLE.channels.general}/messages`));
    expect(sent).toHaveLength(2);
    for (const body of [...sent, channelPost?.body as Body]) expect(body?.allowed_mentions).toEqual({ parse: [] });
    const posted = rig.discord.state.messagesIn(SAMPLE.channels.general).at(-1)!;
    expect(posted).toMatchObject({ mention_everyone: false, mention_roles: [], mentions: [] });
  });
});
