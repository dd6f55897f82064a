// What the gateway sends: READY, GUILD_CREATE, member chunks, and which intent each dispatch needs.
import { rawGuild, rawMember, THREAD_TYPES } from './payloads.ts';
import type { EmulatorState } from './state.ts';
import type { RawObject } from './types.ts';

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildVoiceStates: 1 << 7,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  MessageContent: 1 << 15,
} as const;

/** The intent a dispatch needs, or 0 when every session receives it (READY, INTERACTION_CREATE, ...). */
export function requiredIntent(event: string, data: RawObject): number {
  const inGuild = typeof data.guild_id === 'string';
  if (event.startsWith('GUILD_MEMBER_') && event !== 'GUILD_MEMBERS_CHUNK') return Intent.GuildMembers;
  if (event === 'VOICE_STATE_UPDATE') return Intent.GuildVoiceStates;
  if (event.startsWith('MESSAGE_REACTION_')) return inGuild ? Intent.GuildMessageReactions : Intent.DirectMessageReactions;
  if (event.startsWith('MESSAGE_')) return inGuild ? Intent.GuildMessages : Intent.DirectMessages;
  if (event.startsWith('GUILD_ROLE_') || event.startsWith('CHANNEL_') || event.startsWith('THREAD_') || event === 'GUILD_UPDATE') {
    return Intent.Guilds;
  }
  return 0;
}

/**
 * Without MESSAGE_CONTENT, Discord blanks content, embeds, attachments, components and polls of guild
 * messages, except the bot's own messages and messages that mention it. DMs always carry content.
 */
export function applyContentIntent(event: string, data: RawObject, intents: number, botId: string): RawObject {
  if ((intents & Intent.MessageContent) !== 0) return data;
  if (event !== 'MESSAGE_CREATE' && event !== 'MESSAGE_UPDATE') return data;
  if (typeof data.guild_id !== 'string') return data;
  const author = data.author as RawObject | undefined;
  const mentions = Array.isArray(data.mentions) ? (data.mentions as RawObject[]) : [];
  if (author?.id === botId || mentions.some((m) => m.id === botId)) return data;
  const { poll: _poll, ...rest } = data;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}

export function buildReady(state: EmulatorState, sessionId: string, resumeUrl: string, shard: [number, number] | undefined): RawObject {
  return {
    v: 10,
    user_settings: {},
    user: { ...state.botUser, verified: true, mfa_enabled: false, email: null },
    guilds: [{ id: state.guild.id, unavailable: true }],
    session_id: sessionId,
    session_type: 'normal',
    resume_gateway_url: resumeUrl,
    shard: shard ?? [0, 1],
    application: { id: state.applicationId, flags: 0 },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['us-east'],
    auth: {},
    _trace: ['["guildhall-emulator",{"micros":0}]'],
  };
}

/**
 * The full guild, as sent after READY. Members follow Discord's rules: without GUILD_MEMBERS only the
 * bot itself; on a "large" guild (more members than large_threshold) only the bot as well, since the
 * emulator has no presences and large guilds omit offline members.
 */
export function buildGuildCreate(state: EmulatorState, intents: number, largeThreshold: number): RawObject {
  const memberCount = state.members.size;
  const large = memberCount > largeThreshold;
  const everyone = (intents & Intent.GuildMembers) !== 0 && !large;
  const bot = state.member(state.botUser.id);
  const members = everyone ? [...state.members.values()] : bot ? [bot] : [];
  const channels = state.guildChannels();
  const strip = ({ guild_id: _g, ...rest }: RawObject) => rest;
  return {
    ...rawGuild({ ...state.guild, applicationId: state.applicationId, roles: [...state.roles.values()] }),
    joined_at: bot?.joinedAt ?? new Date().toISOString(),
    large,
    unavailable: false,
    lazy: true,
    member_count: memberCount,
    members: members.map((m) => rawMember(m)),
    // Channels inside GUILD_CREATE come without guild_id; active threads are listed apart.
    channels: channels.filter((c) => !THREAD_TYPES.has(c.type)).map(strip),
    threads: channels.filter((c) => THREAD_TYPES.has(c.type) && !(c.thread_metadata as RawObject | undefined)?.archived).map(strip),
    // Who is in voice right now (partial voice states: no guild_id, no member), with GUILD_VOICE_STATES.
    voice_states: (intents & Intent.GuildVoiceStates) !== 0 ? [...state.voiceStates].map(([userId, channelId]) => voiceStateOf(userId, channelId)) : [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
    activity_instances: [],
    application_command_counts: { 1: state.guildCommands.length, 2: 0, 3: 0 },
    version: Date.now(),
  };
}

/** A voice state as Discord sends it (the dispatch adds guild_id and member). */
export function voiceStateOf(userId: string, channelId: string | null): RawObject {
  return {
    channel_id: channelId,
    user_id: userId,
    session_id: `voice-session-${userId}`,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}

/** GUILD_MEMBERS_CHUNK payloads for a REQUEST_GUILD_MEMBERS (op 8), 1000 members per chunk. */
export function buildMemberChunks(state: EmulatorState, request: RawObject): RawObject[] {
  const ids = request.user_ids === undefined ? undefined : ([] as unknown[]).concat(request.user_ids).map(String);
  const query = typeof request.query === 'string' ? request.query.toLowerCase() : '';
  const limit = typeof request.limit === 'number' && request.limit > 0 ? request.limit : Infinity;
  let found = [...state.members.values()];
  if (ids) found = found.filter((m) => ids.includes(m.user.id));
  else if (query) found = found.filter((m) => [m.user.username, m.nick ?? ''].some((n) => n.toLowerCase().startsWith(query)));
  found = found.slice(0, limit);
  const notFound = ids ? ids.filter((id) => !state.members.has(id)) : [];
  const chunks: RawObject[] = [];
  const count = Math.max(1, Math.ceil(found.length / 1000));
  for (let i = 0; i < count; i++) {
    chunks.push({
      guild_id: state.guild.id,
      members: found.slice(i * 1000, (i + 1) * 1000).map((m) => rawMember(m)),
      chunk_index: i,
      chunk_count: count,
      ...(i === 0 && notFound.length ? { not_found: notFound } : {}),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    });
  }
  return chunks;
}
