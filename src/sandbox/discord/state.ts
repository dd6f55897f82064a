// The emulator's world: one guild, its roles, channels, members and messages, plus DMs and commands.
import { buildMessage, type StoredFile } from './messages.ts';
import {
  rawDmChannel, rawGuildChannel, rawRole, rawUser,
  type MemberRecord, type RawChannel, type RawMessage, type RawRole, type RawUser,
} from './payloads.ts';
import { computePermissions, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, highestPosition } from './permissions.ts';
import { SnowflakeGenerator } from './snowflake.ts';
import type { DiscordEmulatorOptions, EmulatorUser, IdentifyRecord, RawObject } from './types.ts';

export class EmulatorState {
  readonly ids = new SnowflakeGenerator();
  readonly guild: { id: string; name: string; ownerId: string };
  readonly applicationId: string;
  readonly botUser: RawUser;
  readonly botRoleId: string;
  readonly roles = new Map<string, RawRole>();
  /** Guild channels, threads and DM channels. */
  readonly channels = new Map<string, RawChannel>();
  readonly members = new Map<string, MemberRecord>();
  /** Every user the emulator knows, members or not (DM recipients, people who left). */
  readonly users = new Map<string, RawUser>();
  /** Messages by channel id (DMs included), oldest first. Ephemeral messages live in `ephemeralMessages`. */
  readonly messages = new Map<string, RawMessage[]>();
  readonly ephemeralMessages = new Map<string, RawMessage>();
  guildCommands: RawObject[] = [];
  globalCommands: RawObject[] = [];
  /** user id -> DM channel id */
  readonly dmChannels = new Map<string, string>();
  readonly dmsClosed = new Set<string>();
  /** Modals the bot showed, by custom_id, so a submit can mirror their layout. */
  readonly modals = new Map<string, RawObject>();
  readonly attachments = new Map<string, StoredFile>();
  readonly identifies: IdentifyRecord[] = [];
  /** Who is in a voice channel: user id -> channel id. */
  readonly voiceStates = new Map<string, string>();
  /** Set once the HTTP server listens; attachment URLs point here. */
  baseUrl = 'http://127.0.0.1';

  constructor(opts: DiscordEmulatorOptions) {
    this.guild = { ...opts.guild };
    this.applicationId = opts.applicationId ?? opts.botUser?.id ?? this.ids.next();
    this.botUser = rawUser({ id: this.applicationId, username: 'Guildhall', bot: true, ...opts.botUser });
    this.users.set(this.botUser.id, this.botUser);

    const given = opts.roles ?? [];
    const everyone = given.find((r) => r.id === opts.guild.id);
    this.roles.set(opts.guild.id, rawRole({ id: opts.guild.id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS, ...everyone, position: 0 }));
    given.forEach((r, i) => {
      if (r.id !== opts.guild.id) this.roles.set(r.id, rawRole({ ...r, position: r.position ?? i + 1 }));
    });
    const top = Math.max(0, ...[...this.roles.values()].map((r) => r.position));
    this.botRoleId = opts.botRole?.id ?? this.ids.next();
    this.roles.set(this.botRoleId, rawRole(
      {
        id: this.botRoleId,
        name: opts.botRole?.name ?? this.botUser.username,
        permissions: opts.botRole?.permissions ?? DEFAULT_BOT_PERMISSIONS,
        position: opts.botRole?.position ?? top + 1,
      },
      { managed: true, tags: { bot_id: this.botUser.id } },
    ));

    (opts.channels ?? []).forEach((c, i) => this.channels.set(c.id, rawGuildChannel(c, opts.guild.id, i)));
    for (const m of opts.members ?? []) this.putMember(m.user, { roles: m.roles, joinedAt: m.joinedAt });
    this.putMember({ id: this.botUser.id, username: this.botUser.username, globalName: this.botUser.global_name ?? undefined, bot: true }, { roles: [this.botRoleId] });
  }

  putMember(user: EmulatorUser, opts: { roles?: string[]; joinedAt?: string; nick?: string } = {}): MemberRecord {
    const raw = rawUser(user);
    this.users.set(raw.id, raw);
    const record: MemberRecord = {
      user: raw,
      roles: [...(opts.roles ?? [])],
      joinedAt: opts.joinedAt ?? new Date().toISOString(),
      nick: opts.nick ?? null,
    };
    this.members.set(raw.id, record);
    return record;
  }

  member(userId: string): MemberRecord | undefined {
    return this.members.get(userId);
  }

  /** Role ids of a member (not including @everyone), or undefined when not in the guild. */
  roleIdsOf(userId: string): string[] | undefined {
    return this.members.get(userId)?.roles;
  }

  permissionsOf(userId: string): bigint {
    return computePermissions({
      guildId: this.guild.id,
      ownerId: this.guild.ownerId,
      userId,
      roleIds: this.members.get(userId)?.roles ?? [],
      roles: this.roles,
    });
  }

  highestRolePosition(userId: string): number {
    return highestPosition(this.members.get(userId)?.roles ?? [], this.roles);
  }

  guildChannels(): RawChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === this.guild.id && c.type !== 1);
  }

  /** The DM channel with a user, created on first use as Discord does. */
  dmChannelFor(userId: string): RawChannel | undefined {
    const existing = this.dmChannels.get(userId);
    if (existing) return this.channels.get(existing);
    const user = this.users.get(userId);
    if (!user) return undefined;
    const channel = rawDmChannel(this.ids.next(), user);
    this.channels.set(channel.id, channel);
    this.dmChannels.set(userId, channel.id);
    return channel;
  }

  messagesIn(channelId: string): RawMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  findMessage(messageId: string): RawMessage | undefined {
    for (const list of this.messages.values()) {
      const hit = list.find((m) => m.id === messageId);
      if (hit) return hit;
    }
    return this.ephemeralMessages.get(messageId);
  }

  /** Builds and stores a message. Ephemeral ones are kept apart: they are not in the channel's history. */
  createMessage(input: { channelId: string; author: RawUser; body: RawObject; files?: StoredFile[]; type?: number; extra?: RawObject; id?: string }): RawMessage {
    const message = buildMessage({
      id: input.id ?? this.ids.next(),
      channelId: input.channelId,
      author: input.author,
      body: input.body,
      files: input.files ?? [],
      knownUsers: this.users,
      storeAttachment: (file, filename, channelId) => this.storeAttachment(file, filename, channelId),
      type: input.type,
      extra: input.extra,
    });
    if ((message.flags & 64) !== 0) {
      this.ephemeralMessages.set(message.id, message);
      return message;
    }
    const list = this.messages.get(input.channelId) ?? [];
    list.push(message);
    this.messages.set(input.channelId, list);
    const channel = this.channels.get(input.channelId);
    if (channel) {
      channel.last_message_id = message.id;
      if (typeof channel.message_count === 'number') channel.message_count += 1;
      if (typeof channel.total_message_sent === 'number') channel.total_message_sent += 1;
    }
    return message;
  }

  deleteMessage(channelId: string, messageId: string): boolean {
    if (this.ephemeralMessages.delete(messageId)) return true;
    const list = this.messages.get(channelId) ?? [];
    const index = list.findIndex((m) => m.id === messageId);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  storeAttachment(file: StoredFile, filename: string, channelId: string): { id: string; url: string } {
    const id = this.ids.next();
    this.attachments.set(id, { ...file, filename });
    return { id, url: `${this.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}` };
  }
}
