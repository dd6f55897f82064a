// What every REST handler gets: the world, the gateway to dispatch on, and the parsed request.
import type { Gateway } from './gateway.ts';
import { Errors } from './http-util.ts';
import type { InteractionRegistry } from './interactions.ts';
import type { StoredFile } from './messages.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject } from './types.ts';

export interface EmulatorContext {
  state: EmulatorState;
  gateway: Gateway;
  interactions: InteractionRegistry;
  log: (line: string) => void;
}

export interface RequestContext extends EmulatorContext {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: StoredFile[];
}

/** The JSON body as an object; Discord answers 50035 to anything else. */
export function objectBody(ctx: RequestContext): RawObject {
  if (ctx.body === undefined) return {};
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) throw Errors.form('_errors', 'Expected an object.', 'DICT_TYPE_CONVERT');
  return ctx.body as RawObject;
}

export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no :${name}`);
  return value;
}

/** Guild routes only know the one emulated guild. */
export function assertGuild(ctx: RequestContext): void {
  if (param(ctx, 'guildId') !== ctx.state.guild.id) throw Errors.unknownGuild();
}

/** A message dispatch carries guild_id and the author's member (without user), as the gateway does. */
export function messageEventData(ctx: EmulatorContext, message: RawObject): RawObject {
  const channel = ctx.state.channels.get(String(message.channel_id));
  if (!channel?.guild_id) return message;
  const author = message.author as RawObject;
  const member = ctx.state.member(String(author.id));
  const data: RawObject = { ...message, guild_id: channel.guild_id };
  if (member && !message.webhook_id) {
    data.member = { roles: member.roles, joined_at: member.joinedAt, nick: member.nick, deaf: false, mute: false, flags: 0, pending: false, premium_since: null, avatar: null, banner: null, communication_disabled_until: null };
  }
  return data;
}
