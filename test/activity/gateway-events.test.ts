import { describe, expect, it } from 'vitest';
import { commandEvent, joinEvent, leaveEvent, messageEvent, reactionEvent, voiceSnapshotOf, voiceUpdate } from '../../src/activity/gateway-events.ts';
import { snowflakeTimestamp } from '../../src/sandbox/discord/index.ts';

const G = '1300000000000000100';
const U = '1300000000000000501';
const BOT = '1300000000000009301';
const ID = '1500000000000000000';
const NOW = 1_800_000_000_000;
const notBot = () => false;
const message = (over: Record<string, unknown> = {}) => ({ id: ID, channel_id: '1', guild_id: G, author: { id: U }, type: 0, content: 'hello', ...over });

describe('gateway dispatches -> activity (pure)', () => {
  it('messages: members only (replies too), at the snowflake time; bots, webhooks, system messages, DMs and other guilds never', () => {
    expect(messageEvent(message(), G)).toEqual({ userId: U, kind: 'message', at: snowflakeTimestamp(ID), channelId: '1' });
    expect(messageEvent(message({ type: 19 }), G)?.kind).toBe('message');
    for (const over of [{ author: { id: BOT, bot: true } }, { webhook_id: '9' }, { type: 7 }, { type: 21 }, { guild_id: undefined }, { guild_id: '2' }]) {
      expect(messageEvent(message(over), G)).toBeNull();
    }
    expect(messageEvent({ nonsense: true }, G)).toBeNull();
    expect(Object.keys(messageEvent(message(), G)!)).not.toContain('content');
  });

  it('reactions, commands, joins, leaves, voice: bots never, by the member or by the cache', () => {
    const isBot = (id: string) => id === BOT;
    expect(reactionEvent({ user_id: U, channel_id: '1', guild_id: G, message_id: ID }, G, NOW, isBot)).toEqual({ userId: U, kind: 'reaction', at: NOW, channelId: '1' });
    expect(reactionEvent({ user_id: BOT, channel_id: '1', guild_id: G }, G, NOW, isBot)).toBeNull();
    expect(reactionEvent({ user_id: U, channel_id: '1', guild_id: G, member: { user: { id: U, bot: true } } }, G, NOW, notBot)).toBeNull();

    const command = { id: ID, type: 2, guild_id: G, channel_id: '1', member: { user: { id: U } }, data: { name: 'help' } };
    expect(commandEvent(command, G)).toEqual({ userId: U, kind: 'command', at: snowflakeTimestamp(ID), channelId: '1', ref: 'command:help' });
    for (const type of [3, 4, 5]) expect(commandEvent({ ...command, type }, G)).toBeNull(); // buttons, autocomplete, modals
    expect(commandEvent({ ...command, guild_id: undefined, member: undefined, user: { id: U } }, G)).toBeNull(); // DMs

    expect(joinEvent({ guild_id: G, user: { id: U }, joined_at: '2026-01-05T10:00:00.000Z' }, G, NOW)).toEqual({ userId: U, kind: 'join', at: Date.parse('2026-01-05T10:00:00.000Z') });
    expect(joinEvent({ guild_id: G, user: { id: U }, joined_at: 'garbage' }, G, NOW)?.at).toBe(NOW);
    expect(joinEvent({ guild_id: G, user: { id: BOT, bot: true }, joined_at: '2026-01-05T10:00:00.000Z' }, G, NOW)).toBeNull();
    expect(leaveEvent({ guild_id: G, user: { id: U } }, G, NOW)).toEqual({ userId: U, kind: 'leave', at: NOW });
    expect(leaveEvent({ guild_id: G, user: { id: BOT, bot: true } }, G, NOW)).toBeNull();

    expect(voiceUpdate({ guild_id: G, user_id: U, channel_id: '8' }, G, isBot)).toEqual({ userId: U, channelId: '8', bot: false });
    expect(voiceUpdate({ guild_id: G, user_id: BOT, channel_id: null }, G, isBot)).toEqual({ userId: BOT, channelId: null, bot: true });
    const guild = { id: G, afk_channel_id: '9', members: [{ user: { id: BOT, bot: true } }], voice_states: [{ user_id: U, channel_id: '8' }, { user_id: BOT, channel_id: '8' }] };
    expect(voiceSnapshotOf(guild, G, notBot)).toEqual({ states: [{ userId: U, channelId: '8' }], afkChannelId: '9' });
    expect(voiceSnapshotOf({ ...guild, id: '2' }, G, notBot)).toBeNull();
  });
});
