// The guild's past, as Discord delivers it: messages, forum posts and threads written at an earlier
// instant. Their snowflakes are minted for that instant, so discord.js's createdTimestamp (and the
// bot's activity capture) read the past time, exactly as for messages Discord stored long ago and
// delivers now. Joins at a past instant need nothing new: addMember(user, { joinedAt }).
import { messageEventData, type EmulatorContext } from './context.ts';
import { buildMessage } from './messages.ts';
import { rawThread, type RawChannel, type RawMessage } from './payloads.ts';
import { DISCORD_EPOCH } from './snowflake.ts';

export interface PastMessageInput {
  channelId: string;
  authorId: string;
  content: string;
  /** Epoch ms: when it was written. */
  at: number;
}

export interface HistoryActions {
  /** MESSAGE_CREATE for a message written at `at`; it is stored in the channel's history in id order. */
  postPastMessage(input: PastMessageInput): Promise<RawMessage>;
  /** A forum post opened at `at`: THREAD_CREATE, then its starter message, which shares the thread's id. */
  openPastForumPost(input: { forumId: string; authorId: string; title: string; content: string; at: number }): Promise<RawChannel>;
  /** A message in a text channel at `at`, and a public thread started from it (same id), as "Create Thread" does. */
  openPastThread(input: { channelId: string; authorId: string; name: string; content: string; at: number }): Promise<RawChannel>;
}

// Worker id 2: history ids can never equal an id the live generator (worker 1) mints.
const HISTORY_WORKER = 2n;

export function createHistoryActions(ctx: EmulatorContext): HistoryActions {
  const { state, gateway } = ctx;
  const perMs = new Map<number, bigint>();
  /** A stable id for `at`: the same plan mints the same ids relative to its start. */
  const mint = (at: number): string => {
    const increment = perMs.get(at) ?? 0n;
    if (increment > 0x1ffffn) throw new Error(`Discord emulator: too many history ids at ${at}`);
    perMs.set(at, increment + 1n);
    return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (HISTORY_WORKER << 17n) | increment).toString();
  };

  const store = (channelId: string, authorId: string, content: string, id: string): RawMessage => {
    const author = state.users.get(authorId);
    if (!author) throw new Error(`Discord emulator: unknown user ${authorId}; addMember first`);
    if (!state.member(authorId)) throw new Error(`Discord emulator: ${authorId} is not a member`);
    const message = buildMessage({
      id, channelId, author, body: { content }, files: [], knownUsers: state.users,
      storeAttachment: (file, filename, channel) => state.storeAttachment(file, filename, channel),
    });
    // Older than what the channel already holds: inserted in id order, and last_message_id stays the newest.
    const list = state.messages.get(channelId) ?? [];
    const at = list.findIndex((m) => BigInt(m.id) > BigInt(id));
    list.splice(at < 0 ? list.length : at, 0, message);
    state.messages.set(channelId, list);
    const channel = state.channels.get(channelId);
    if (channel) {
      if (!channel.last_message_id || BigInt(channel.last_message_id) < BigInt(id)) channel.last_message_id = id;
      if (typeof channel.message_count === 'number') channel.message_count += 1;
      if (typeof channel.total_message_sent === 'number') channel.total_message_sent += 1;
    }
    return message;
  };

  const channelOf = (id: string): RawChannel => {
    const channel = state.channels.get(id);
    if (!channel) throw new Error(`Discord emulator: unknown channel ${id}`);
    return channel;
  };

  const thread = (parent: RawChannel, id: string, ownerId: string, name: string, at: number): RawChannel => {
    const created = rawThread({
      id, guildId: state.guild.id, parentId: parent.id, ownerId, name, type: 11,
      autoArchiveDuration: Number(parent.default_auto_archive_duration ?? 4320), appliedTags: [], now: new Date(at).toISOString(),
    });
    state.channels.set(created.id, created);
    return created;
  };

  return {
    async postPastMessage(input) {
      channelOf(input.channelId);
      const message = store(input.channelId, input.authorId, input.content, mint(input.at));
      await gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, message));
      return message;
    },

    async openPastForumPost(input) {
      const forum = channelOf(input.forumId);
      if (forum.type !== 15 && forum.type !== 16) throw new Error(`Discord emulator: ${input.forumId} is not a forum`);
      const post = thread(forum, mint(input.at), input.authorId, input.title, input.at);
      const starter = store(post.id, input.authorId, input.content, post.id);
      forum.last_message_id = forum.last_message_id && BigInt(forum.last_message_id) > BigInt(post.id) ? forum.last_message_id : post.id;
      await gateway.dispatch('THREAD_CREATE', { ...post, newly_created: true });
      await gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, starter));
      return post;
    },

    async openPastThread(input) {
      const parent = channelOf(input.channelId);
      const starter = store(parent.id, input.authorId, input.content, mint(input.at));
      await gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, starter));
      const created = thread(parent, starter.id, input.authorId, input.name, input.at);
      starter.thread = created;
      await gateway.dispatch('THREAD_CREATE', { ...created, newly_created: true });
      return created;
    },
  };
}
