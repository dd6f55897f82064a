// Registers the gateway listeners that feed the capture. Raw dispatches (client.ws) are emitted for
// every packet, replayed ones after a RESUME included, before discord.js's own cache handling.
import { GatewayDispatchEvents, type Client } from 'discord.js';
import type { ActivityCapture } from './capture.ts';
import { commandEvent, joinEvent, leaveEvent, messageEvent, reactionEvent, voiceSnapshotOf, voiceUpdate } from './gateway-events.ts';
import type { ActivityInput } from './sink.ts';

/** Returns a function that removes every listener it added. */
export function attachActivityCapture(client: Client, capture: ActivityCapture, opts: { guildId: string }): () => void {
  const { guildId } = opts;
  const isBot = (id: string) => client.users.cache.get(id)?.bot ?? false;
  const keep = (event: ActivityInput | null) => {
    if (event) capture.record(event);
  };
  const listeners: [GatewayDispatchEvents, (data: unknown) => void][] = [
    [GatewayDispatchEvents.MessageCreate, (d) => keep(messageEvent(d, guildId))],
    [GatewayDispatchEvents.MessageReactionAdd, (d) => keep(reactionEvent(d, guildId, capture.now(), isBot))],
    [GatewayDispatchEvents.InteractionCreate, (d) => keep(commandEvent(d, guildId))],
    [GatewayDispatchEvents.GuildMemberAdd, (d) => keep(joinEvent(d, guildId, capture.now()))],
    [GatewayDispatchEvents.GuildMemberRemove, (d) => keep(leaveEvent(d, guildId, capture.now()))],
    [
      GatewayDispatchEvents.VoiceStateUpdate,
      (d) => {
        const v = voiceUpdate(d, guildId, isBot);
        if (v) capture.voiceState(v.userId, v.channelId, v.bot);
      },
    ],
    [
      GatewayDispatchEvents.GuildCreate,
      (d) => {
        const snapshot = voiceSnapshotOf(d, guildId, isBot);
        if (snapshot) capture.voiceSnapshot(snapshot.states, snapshot.afkChannelId);
      },
    ],
  ];
  for (const [event, listener] of listeners) client.ws.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) client.ws.off(event, listener);
  };
}
