// INTERACTION_CREATE payloads, complete as Discord sends them to a bot in a guild.
import { randomBytes } from 'node:crypto';
import { buildOptions, finishResolved, resolveUser, type Resolved } from './interaction-options.ts';
import { rawMember, type RawMessage } from './payloads.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject, RunCommandInput } from './types.ts';

export const InteractionType = { Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

function interactionToken(id: string): string {
  // Real tokens are long, opaque and URL-safe; the prefix mirrors Discord's base64 "interaction:".
  return `aW50ZXJhY3Rpb246${Buffer.from(id).toString('base64url')}${randomBytes(48).toString('base64url')}`;
}

export function defaultChannelId(state: EmulatorState): string {
  const channel = state.guildChannels().find((c) => c.type === 0);
  if (!channel) throw new Error('Discord emulator: no text channel configured; pass channelId or configure a channel of type 0');
  return channel.id;
}

/** Fields every interaction shares: who, where, with which permissions, and the token. */
export function baseInteraction(state: EmulatorState, type: number, userId: string, channelId: string, locale = 'en-US'): RawObject {
  const channel = state.channels.get(channelId);
  if (!channel) throw new Error(`Discord emulator: unknown channel ${channelId}`);
  if (channel.type === 1) return dmInteraction(state, type, userId, channel, locale);
  const member = state.member(userId);
  if (!member) throw new Error(`Discord emulator: user ${userId} is not a member of the guild; addMember first`);
  const permissions = state.permissionsOf(userId).toString();
  const id = state.ids.next();
  return {
    id,
    application_id: state.applicationId,
    type,
    token: interactionToken(id),
    version: 1,
    guild_id: state.guild.id,
    guild: { id: state.guild.id, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: { ...channel, permissions },
    member: rawMember(member, { permissions }),
    app_permissions: state.permissionsOf(state.botUser.id).toString(),
    locale,
    guild_locale: 'en-US',
    entitlements: [],
    entitlement_sku_ids: [],
    authorizing_integration_owners: { '0': state.guild.id },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

/** In the bot's DMs Discord sends `user` instead of `member`, and no guild fields (context 1, BOT_DM). */
function dmInteraction(state: EmulatorState, type: number, userId: string, channel: RawObject, locale: string): RawObject {
  const user = state.users.get(userId);
  if (!user) throw new Error(`Discord emulator: unknown user ${userId}`);
  const id = state.ids.next();
  return {
    id,
    application_id: state.applicationId,
    type,
    token: interactionToken(id),
    version: 1,
    channel_id: channel.id,
    channel,
    user,
    app_permissions: state.permissionsOf(state.botUser.id).toString(),
    locale,
    entitlements: [],
    entitlement_sku_ids: [],
    authorizing_integration_owners: { '0': '0' },
    context: 1,
    attachment_size_limit: 10_485_760,
  };
}

function findCommand(state: EmulatorState, name: string, type: number): RawObject | undefined {
  const match = (c: RawObject) => c.name === name && (c.type ?? 1) === type;
  return state.guildCommands.find(match) ?? state.globalCommands.find(match);
}

/** Chat input, user or message command. Unknown names still dispatch, with a fresh id, like a stale registration. */
export function commandInteraction(state: EmulatorState, input: RunCommandInput, autocompleteFocus?: string): RawObject {
  const type = input.type ?? 1;
  const channelId = input.channelId ?? defaultChannelId(state);
  const base = baseInteraction(state, autocompleteFocus !== undefined ? InteractionType.Autocomplete : InteractionType.Command, input.userId, channelId, input.locale);
  const registered = findCommand(state, input.name, type);
  const resolved: Resolved = {};
  const data: RawObject = { id: registered?.id ?? state.ids.next(), name: input.name, type, guild_id: state.guild.id };
  if (type === 1) {
    data.options = buildOptions(state, input.options, registered?.options as RawObject[] | undefined, resolved, autocompleteFocus);
  } else {
    if (!input.targetId) throw new Error('Discord emulator: context menu commands need targetId');
    data.target_id = input.targetId;
    if (type === 2) resolveUser(state, input.targetId, resolved);
    else {
      const message = state.findMessage(input.targetId);
      if (!message) throw new Error(`Discord emulator: unknown message ${input.targetId}`);
      resolved.messages = { [message.id]: message };
    }
  }
  const done = finishResolved(resolved);
  if (done) data.resolved = done;
  return { ...base, data };
}

export function messageOf(state: EmulatorState, message: RawObject | string): RawMessage {
  const id = typeof message === 'string' ? message : String(message.id);
  const found = state.findMessage(id);
  if (!found) throw new Error(`Discord emulator: unknown message ${id}`);
  return found;
}

/** Finds a component by custom_id in rows, containers and section accessories. */
export function findComponent(components: unknown, customId: string): RawObject | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const c of components as RawObject[]) {
    if (c.custom_id === customId) return c;
    const nested = findComponent(c.components, customId) ?? findComponent(c.accessory ? [c.accessory] : undefined, customId);
    if (nested) return nested;
  }
  return undefined;
}

export function componentInteraction(
  state: EmulatorState,
  input: { userId: string; message: RawObject | string; customId: string; channelId?: string; values?: string[] },
): RawObject {
  const message = messageOf(state, input.message);
  const component = findComponent(message.components, input.customId);
  if (!component) throw new Error(`Discord emulator: message ${message.id} has no component with custom_id "${input.customId}"`);
  if (component.disabled === true) throw new Error(`Discord emulator: component "${input.customId}" is disabled; Discord would not send this click`);
  const base = baseInteraction(state, InteractionType.Component, input.userId, input.channelId ?? message.channel_id);
  const data: RawObject = { custom_id: input.customId, component_type: component.type, id: component.id ?? 1 };
  if (component.type !== 2) {
    data.values = input.values ?? [];
    const resolved: Resolved = {};
    for (const v of input.values ?? []) {
      if (component.type === 5 || (component.type === 7 && !state.roles.has(v))) resolveUser(state, v, resolved);
      else if (component.type === 6 || component.type === 7) (resolved.roles ??= {})[v] = state.roles.get(v) ?? {};
      else if (component.type === 8) (resolved.channels ??= {})[v] = { ...state.channels.get(v), permissions: '0' };
    }
    const done = finishResolved(resolved);
    if (done) data.resolved = done;
  }
  return { ...base, message, data };
}

/**
 * MODAL_SUBMIT. When the bot showed this modal, the submit mirrors its layout: legacy action rows
 * of text inputs, or label components (type 18) wrapping one input each, which discord.js 14.28 reads.
 */
export function modalInteraction(
  state: EmulatorState,
  input: { userId: string; customId: string; fields: Record<string, string | string[]>; channelId?: string; message?: RawObject | string },
): RawObject {
  const message = input.message === undefined ? undefined : messageOf(state, input.message);
  const base = baseInteraction(state, InteractionType.ModalSubmit, input.userId, input.channelId ?? message?.channel_id ?? defaultChannelId(state));
  const modal = state.modals.get(input.customId);
  const value = (field: RawObject) => {
    const v = input.fields[String(field.custom_id)];
    if (field.type === 4) return { value: typeof v === 'string' ? v : (v ?? []).join('') };
    return { values: v === undefined ? [] : ([] as string[]).concat(v) };
  };
  let nextId = 1;
  const components = modal
    ? (modal.components as RawObject[]).map((top) => {
        const id = top.id ?? nextId++;
        if (top.type === 18 && top.component) {
          const inner = top.component as RawObject;
          return { type: 18, id, component: { type: inner.type, id: inner.id ?? nextId++, custom_id: inner.custom_id, ...value(inner) } };
        }
        if (top.type === 1) {
          const inner = (top.components as RawObject[]).map((c) => ({ type: c.type, id: c.id ?? nextId++, custom_id: c.custom_id, ...value(c) }));
          return { type: 1, id, components: inner };
        }
        return { type: top.type, id };
      })
    : Object.entries(input.fields).map(([customId, v]) => ({
        type: 1, id: nextId++, components: [{ type: 4, id: nextId++, custom_id: customId, value: String(v) }],
      }));
  return { ...base, ...(message ? { message } : {}), data: { custom_id: input.customId, components } };
}
