import { GatewayIntentBits, Options, type ClientOptions } from 'discord.js';
import type { Config } from '../config.ts';
import { NO_PINGS } from './respond.ts';

/**
 * Only what the features need: Guilds for commands and channels, GuildMembers for membership
 * (joins, leaves, role sync), GuildMessages to see that someone answered in a Q&A thread.
 * No MessageContent: we record metadata (who, when, where), never what people write.
 */
// Reactions and voice states feed activity capture (metadata only). MessageContent is never asked for.
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildVoiceStates,
] as const;

// With 100k members, discord.js would otherwise keep every member, user and presence it ever
// saw. Role changes go through REST by id, so a small working set is enough.
export const MEMBER_CACHE = 2_000;
const MESSAGE_CACHE = 50;

export function discordClientOptions(config: Pick<Config, 'discordApiUrl'>): ClientOptions {
  return {
    intents: [...INTENTS],
    allowedMentions: NO_PINGS,
    // discord.js adds a 50 ms safety offset to every rate-limit reset, counted twice per window,
    // which caps the role-change drain near 0.9x of the limit; 10 ms keeps a margin (bench: outbox.drain_rate).
    rest: { api: config.discordApiUrl, offset: 10 },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: MESSAGE_CACHE,
      GuildMemberManager: { maxSize: MEMBER_CACHE, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: MEMBER_CACHE, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      ThreadMemberManager: 0,
      VoiceStateManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      // Members and users seen through interactions age out so the caches stay a working set.
      guildMembers: { interval: 3_600, filter: () => (member) => member.id !== member.client.user.id },
      users: { interval: 3_600, filter: () => (user) => user.id !== user.client.user.id },
      messages: { interval: 3_600, lifetime: 1_800 },
    },
  };
}

