// Pure: raw gateway dispatches -> activity events (metadata only; no content field is even read).
// Raw dispatches, not discord.js events: those are dropped for uncached members and messages
// (member leaves, reactions) unless partials are enabled, and the bot caches only a working set.
import { SnowflakeUtil } from 'discord.js';
import { z } from 'zod';
import type { ActivityInput } from './sink.ts';

const user = z.looseObject({ id: z.string(), bot: z.boolean().optional() });
const member = z.looseObject({ user: user.optional() });

const messageSchema = z.looseObject({
  id: z.string(),
  channel_id: z.string(),
  guild_id: z.string().optional(),
  author: user,
  webhook_id: z.string().nullish(),
  type: z.number(),
});
// Only what members write: DEFAULT and REPLY. Everything else is a system message or the bot's own.
const MEMBER_MESSAGE_TYPES: ReadonlySet<number> = new Set([0, 19]);

export function messageEvent(data: unknown, guildId: string): ActivityInput | null {
  const m = messageSchema.safeParse(data);
  if (!m.success || m.data.guild_id !== guildId || m.data.author.bot || m.data.webhook_id || !MEMBER_MESSAGE_TYPES.has(m.data.type)) return null;
  // The snowflake's time is message.createdTimestamp.
  return { userId: m.data.author.id, kind: 'message', at: SnowflakeUtil.timestampFrom(m.data.id), channelId: m.data.channel_id };
}

const reactionSchema = z.looseObject({ user_id: z.string(), channel_id: z.string(), guild_id: z.string().optional(), member: member.optional() });

/** Reactions carry no time of their own: receipt time. `isBot` answers from the cache when the member is absent. */
export function reactionEvent(data: unknown, guildId: string, now: number, isBot: (id: string) => boolean): ActivityInput | null {
  const r = reactionSchema.safeParse(data);
  if (!r.success || r.data.guild_id !== guildId) return null;
  if (r.data.member?.user?.bot ?? isBot(r.data.user_id)) return null;
  return { userId: r.data.user_id, kind: 'reaction', at: now, channelId: r.data.channel_id };
}

const interactionSchema = z.looseObject({
  id: z.string(),
  type: z.number(),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  member: member.optional(),
  user: user.optional(),
  data: z.looseObject({ name: z.string() }).optional(),
});
const APPLICATION_COMMAND = 2;

/** Slash commands and context-menu commands (not autocomplete, buttons or modals), timed by the interaction id. */
export function commandEvent(data: unknown, guildId: string): ActivityInput | null {
  const i = interactionSchema.safeParse(data);
  if (!i.success || i.data.type !== APPLICATION_COMMAND || i.data.guild_id !== guildId) return null;
  const who = i.data.member?.user ?? i.data.user;
  if (!who || who.bot) return null;
  return { userId: who.id, kind: 'command', at: SnowflakeUtil.timestampFrom(i.data.id), channelId: i.data.channel_id ?? null, ref: i.data.data ? `command:${i.data.data.name}` : null };
}

const memberAddSchema = z.looseObject({ guild_id: z.string(), user, joined_at: z.string().nullish() });

/** A join, at Discord's joined_at (receipt time only if it is missing or unreadable). */
export function joinEvent(data: unknown, guildId: string, now: number): ActivityInput | null {
  const m = memberAddSchema.safeParse(data);
  if (!m.success || m.data.guild_id !== guildId || m.data.user.bot) return null;
  const joined = m.data.joined_at ? Date.parse(m.data.joined_at) : Number.NaN;
  return { userId: m.data.user.id, kind: 'join', at: Number.isFinite(joined) ? joined : now };
}

const memberRemoveSchema = z.looseObject({ guild_id: z.string(), user });

/** A leave has no time of its own: receipt time. */
export function leaveEvent(data: unknown, guildId: string, now: number): ActivityInput | null {
  const m = memberRemoveSchema.safeParse(data);
  if (!m.success || m.data.guild_id !== guildId || m.data.user.bot) return null;
  return { userId: m.data.user.id, kind: 'leave', at: now };
}

const voiceSchema = z.looseObject({ user_id: z.string(), channel_id: z.string().nullable(), guild_id: z.string().optional(), member: member.optional() });

export interface VoiceUpdate {
  userId: string;
  channelId: string | null;
  bot: boolean;
}

export function voiceUpdate(data: unknown, guildId: string, isBot: (id: string) => boolean): VoiceUpdate | null {
  const v = voiceSchema.safeParse(data);
  if (!v.success || v.data.guild_id !== guildId) return null;
  return { userId: v.data.user_id, channelId: v.data.channel_id, bot: v.data.member?.user?.bot ?? isBot(v.data.user_id) };
}

const guildSchema = z.looseObject({
  id: z.string(),
  afk_channel_id: z.string().nullish(),
  voice_states: z.array(voiceSchema.omit({ guild_id: true })).optional(),
  members: z.array(member).optional(),
});

/** GUILD_CREATE: who is in voice now, bots left out (by the state's member, the guild's member list, or the cache). */
export function voiceSnapshotOf(data: unknown, guildId: string, isBot: (id: string) => boolean): { states: { userId: string; channelId: string | null }[]; afkChannelId: string | null } | null {
  const g = guildSchema.safeParse(data);
  if (!g.success || g.data.id !== guildId || !g.data.voice_states) return null;
  const bots = new Set((g.data.members ?? []).filter((m) => m.user?.bot).map((m) => m.user!.id));
  const states = g.data.voice_states
    .filter((s) => !(s.member?.user?.bot ?? (bots.has(s.user_id) || isBot(s.user_id))))
    .map((s) => ({ userId: s.user_id, channelId: s.channel_id }));
  return { states, afkChannelId: g.data.afk_channel_id ?? null };
}
