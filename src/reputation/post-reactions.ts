// Reactions on published posts make readers. The raw gateway dispatch is used, not
// Events.MessageReactionAdd: discord.js fires that only for messages still in its (small) cache,
// and a post is read for weeks after it was published.
import { GatewayDispatchEvents, type Client, type GatewayMessageReactionAddDispatchData } from 'discord.js';
import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import { recordPostReaction } from './ratings.ts';

export interface ReactionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: { guildId: string };
}

/** Subscribes; returns the unsubscribe. */
export function listenForPostReactions(client: Client, deps: ReactionDeps): () => void {
  const onReaction = (data: GatewayMessageReactionAddDispatchData) => {
    if (data.guild_id !== deps.config.guildId) return;
    const input = { messageId: data.message_id, userId: data.user_id, at: deps.clock.now(), bot: data.member?.user.bot ?? false };
    recordPostReaction(deps, input).catch((err: unknown) => deps.logger.error({ err, messageId: data.message_id, userId: data.user_id }, 'posts: could not record a reader from a reaction'));
  };
  client.ws.on(GatewayDispatchEvents.MessageReactionAdd, onReaction);
  return () => void client.ws.off(GatewayDispatchEvents.MessageReactionAdd, onReaction);
}
