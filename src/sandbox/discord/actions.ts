// What members do in the emulated guild: join, leave, write, react, and use the bot's interactions.
import { messageEventData, type EmulatorContext } from './context.ts';
import { commandInteraction, componentInteraction, messageOf, modalInteraction } from './interaction-payloads.ts';
import { voiceStateOf } from './gateway-events.ts';
import { rawMember, type RawMessage } from './payloads.ts';
import type { ComponentInput, EmulatorUser, InteractionHandle, RawObject, RunCommandInput } from './types.ts';

export interface MemberActions {
  addMember(user: EmulatorUser, opts?: { roles?: string[]; joinedAt?: string; nick?: string }): Promise<void>;
  removeMember(userId: string): Promise<void>;
  postMessage(input: { channelId: string; authorId: string; content: string; embeds?: unknown[]; messageReference?: string }): Promise<RawMessage>;
  addReaction(input: { channelId: string; messageId: string; userId: string; emoji: string | { id: string; name: string } }): Promise<void>;
  /** The member connects to (or moves to) a voice channel: VOICE_STATE_UPDATE with that channel. */
  joinVoice(userId: string, channelId: string): Promise<void>;
  /** The member disconnects from voice: VOICE_STATE_UPDATE with channel_id null. */
  leaveVoice(userId: string): Promise<void>;
  runCommand(input: RunCommandInput): InteractionHandle;
  clickButton(input: ComponentInput): InteractionHandle;
  selectMenu(input: ComponentInput & { values: string[] }): InteractionHandle;
  submitModal(input: { userId: string; customId: string; fields: Record<string, string | string[]>; channelId?: string; message?: RawObject | string }): InteractionHandle;
  autocomplete(input: Omit<RunCommandInput, 'type' | 'targetId'> & { focused?: string }): InteractionHandle;
  /** An admin edits a member's roles by hand in Discord's UI (GUILD_MEMBER_UPDATE). */
  setMemberRolesByHand(userId: string, roleIds: string[]): Promise<void>;
  /** An admin drags a role to another position in Server Settings (GUILD_ROLE_UPDATE). */
  moveRoleByHand(roleId: string, position: number): Promise<void>;
}

export function createActions(ctx: EmulatorContext): MemberActions {
  const { state, gateway, interactions } = ctx;
  const guild_id = state.guild.id;

  const start = (raw: RawObject): InteractionHandle => {
    const handle = interactions.create(raw);
    void gateway.dispatch('INTERACTION_CREATE', raw);
    return handle;
  };

  return {
    async addMember(user, opts = {}) {
      const member = state.putMember(user, opts);
      await gateway.dispatch('GUILD_MEMBER_ADD', { guild_id, ...rawMember(member) });
    },

    async setMemberRolesByHand(userId, roleIds) {
      const member = state.member(userId);
      if (!member) throw new Error(`Discord emulator: ${userId} is not a member`);
      member.roles = [...roleIds];
      await gateway.dispatch('GUILD_MEMBER_UPDATE', { guild_id, ...rawMember(member) });
    },

    async moveRoleByHand(roleId, position) {
      const role = state.roles.get(roleId);
      if (!role) throw new Error(`Discord emulator: unknown role ${roleId}`);
      role.position = position;
      await gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id, role });
    },

    async removeMember(userId) {
      const member = state.member(userId);
      if (!member) throw new Error(`Discord emulator: ${userId} is not a member`);
      state.members.delete(userId);
      await gateway.dispatch('GUILD_MEMBER_REMOVE', { guild_id, user: member.user });
    },

    async postMessage(input) {
      const author = state.users.get(input.authorId);
      if (!author) throw new Error(`Discord emulator: unknown user ${input.authorId}; addMember first`);
      const channel = state.channels.get(input.channelId);
      if (!channel) throw new Error(`Discord emulator: unknown channel ${input.channelId}`);
      if (channel.guild_id && !state.member(input.authorId)) throw new Error(`Discord emulator: ${input.authorId} is not a member`);
      const body: RawObject = { content: input.content, embeds: input.embeds ?? [] };
      if (input.messageReference) body.message_reference = { message_id: input.messageReference, channel_id: channel.id, ...(channel.guild_id ? { guild_id } : {}) };
      const message = state.createMessage({ channelId: channel.id, author, body });
      await gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, message));
      return message;
    },

    async addReaction(input) {
      const message = messageOf(state, input.messageId);
      const member = state.member(input.userId);
      const emoji = typeof input.emoji === 'string' ? { id: null, name: input.emoji } : { ...input.emoji, animated: false };
      const reactions = (message.reactions ??= []) as { emoji: { id: string | null; name: string }; count: number; me: boolean }[];
      const existing = reactions.find((r) => r.emoji.name === emoji.name && r.emoji.id === emoji.id);
      if (existing) existing.count += 1;
      else reactions.push({ emoji, count: 1, me: false });
      const inGuild = Boolean(state.channels.get(input.channelId)?.guild_id);
      await gateway.dispatch('MESSAGE_REACTION_ADD', {
        user_id: input.userId,
        type: 0,
        message_id: message.id,
        message_author_id: message.author.id,
        channel_id: input.channelId,
        emoji,
        burst: false,
        burst_colors: [],
        ...(inGuild ? { guild_id, ...(member ? { member: rawMember(member) } : {}) } : {}),
      });
    },

    async joinVoice(userId, channelId) {
      const member = state.member(userId);
      if (!member) throw new Error(`Discord emulator: ${userId} is not a member`);
      const type = state.channels.get(channelId)?.type;
      if (type !== 2 && type !== 13) throw new Error(`Discord emulator: ${channelId} is not a voice or stage channel`);
      state.voiceStates.set(userId, channelId);
      await gateway.dispatch('VOICE_STATE_UPDATE', { guild_id, ...voiceStateOf(userId, channelId), member: rawMember(member) });
    },

    async leaveVoice(userId) {
      const member = state.member(userId);
      if (!state.voiceStates.delete(userId)) throw new Error(`Discord emulator: ${userId} is not in voice`);
      await gateway.dispatch('VOICE_STATE_UPDATE', { guild_id, ...voiceStateOf(userId, null), ...(member ? { member: rawMember(member) } : {}) });
    },

    runCommand: (input) => start(commandInteraction(state, input)),
    clickButton: (input) => start(componentInteraction(state, input)),
    selectMenu: (input) => start(componentInteraction(state, input)),
    submitModal: (input) => start(modalInteraction(state, input)),
    autocomplete(input) {
      const options = input.options;
      const focused = input.focused ?? (options && !Array.isArray(options) ? lastLeafName(options) : undefined);
      return start(commandInteraction(state, { ...input, type: 1 }, focused ?? ''));
    },
  };
}

/** The option a member is typing in is normally the last one filled in. */
function lastLeafName(options: Record<string, unknown>): string | undefined {
  const entries = Object.entries(options);
  const last = entries[entries.length - 1];
  if (!last) return undefined;
  const [name, value] = last;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? lastLeafName(value as Record<string, unknown>) : name;
}
