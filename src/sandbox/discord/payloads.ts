// Builders for raw Discord API v10 objects, shaped like what discord.com actually returns.
import type { EmulatorChannel, EmulatorRole, EmulatorUser, RawObject } from './types.ts';

export interface RawUser extends RawObject {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
}

export interface RawRole extends RawObject {
  id: string;
  name: string;
  permissions: string;
  position: number;
  managed: boolean;
}

export interface RawChannel extends RawObject {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  last_message_id?: string | null;
}

export interface RawMessage extends RawObject {
  id: string;
  channel_id: string;
  author: RawUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  flags: number;
  embeds: unknown[];
  components: unknown[];
  attachments: RawObject[];
  mentions: RawUser[];
}

export interface MemberRecord {
  user: RawUser;
  roles: string[];
  joinedAt: string;
  nick: string | null;
}

export const THREAD_TYPES = new Set([10, 11, 12]);

export function rawUser(u: EmulatorUser): RawUser {
  return {
    id: u.id,
    username: u.username,
    global_name: u.globalName ?? null,
    discriminator: '0',
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export function rawRole(r: EmulatorRole & { position: number }, extra: RawObject = {}): RawRole {
  return {
    id: r.id,
    name: r.name,
    description: null,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions,
    managed: false,
    mentionable: false,
    flags: 0,
    ...extra,
  };
}

export function rawGuildChannel(c: EmulatorChannel, guildId: string, position: number): RawChannel {
  const base: RawChannel = {
    id: c.id,
    type: c.type,
    guild_id: guildId,
    name: c.name,
    position,
    flags: 0,
    parent_id: c.parentId ?? null,
    permission_overwrites: [],
  };
  if (c.type === 4) return base; // categories have nothing else
  if (c.type === 2 || c.type === 13) {
    return Object.assign(base, { nsfw: false, rate_limit_per_user: 0, last_message_id: null, bitrate: 64_000, user_limit: 0, rtc_region: null, video_quality_mode: 1 });
  }
  Object.assign(base, { nsfw: false, rate_limit_per_user: 0, last_message_id: null, topic: null });
  if (c.type === 15 || c.type === 16) {
    Object.assign(base, {
      available_tags: [],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
      default_thread_rate_limit_per_user: 0,
      template: '',
    });
  }
  return base;
}

export function rawThread(opts: {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: number;
  autoArchiveDuration: number;
  appliedTags: string[];
  now: string;
}): RawChannel {
  return {
    id: opts.id,
    type: opts.type,
    guild_id: opts.guildId,
    parent_id: opts.parentId,
    owner_id: opts.ownerId,
    name: opts.name,
    last_message_id: null,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    rate_limit_per_user: 0,
    flags: 0,
    applied_tags: opts.appliedTags,
    thread_metadata: {
      archived: false,
      auto_archive_duration: opts.autoArchiveDuration,
      archive_timestamp: opts.now,
      locked: false,
      create_timestamp: opts.now,
      ...(opts.type === 12 ? { invitable: true } : {}),
    },
  };
}

export function rawDmChannel(id: string, recipient: RawUser): RawChannel {
  return { id, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

/** A guild member as REST returns it; `permissions` is only present inside interactions. */
export function rawMember(m: MemberRecord, extra: RawObject = {}): RawObject {
  return {
    user: m.user,
    nick: m.nick,
    avatar: null,
    banner: null,
    roles: [...m.roles],
    joined_at: m.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
    ...extra,
  };
}

/** The REST guild object (GET /guilds/{id}); GUILD_CREATE adds the gateway-only fields. */
export function rawGuild(g: { id: string; name: string; ownerId: string; applicationId: string; roles: RawRole[] }): RawObject {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: [],
    banner: null,
    owner_id: g.ownerId,
    application_id: null,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: null,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    roles: g.roles,
    default_message_notifications: 1,
    mfa_level: 0,
    explicit_content_filter: 2,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    rules_channel_id: null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    hub_type: null,
    premium_progress_bar_enabled: false,
    latest_onboarding_question_id: null,
    nsfw: false,
    nsfw_level: 0,
    emojis: [],
    stickers: [],
    incidents_data: null,
    inventory_settings: null,
    embed_enabled: false,
    embed_channel_id: null,
  };
}
