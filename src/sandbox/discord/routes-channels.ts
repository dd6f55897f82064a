// Channels and messages the bot sends: guild channels, DMs, reactions, typing.
import { messageEventData, objectBody, param, type RequestContext } from './context.ts';
import { ApiError, Errors, type Route, type RouteResult } from './http-util.ts';
import { applyEdit, validateMessageBody } from './messages.ts';
import type { RawChannel, RawMessage } from './payloads.ts';
import { hasPermission, Permission } from './permissions.ts';
import { compareSnowflakes, snowflakeTimestamp } from './snowflake.ts';

export function channelOf(ctx: RequestContext): RawChannel {
  const channel = ctx.state.channels.get(param(ctx, 'channelId'));
  if (!channel) throw Errors.unknownChannel();
  return channel;
}

function messageOf(ctx: RequestContext, channel: RawChannel): RawMessage {
  const message = ctx.state.messagesIn(channel.id).find((m) => m.id === param(ctx, 'messageId'));
  if (!message) throw Errors.unknownMessage();
  return message;
}

function dmRecipient(ctx: RequestContext, channel: RawChannel): string | undefined {
  if (channel.type !== 1) return undefined;
  for (const [userId, channelId] of ctx.state.dmChannels) if (channelId === channel.id) return userId;
  return undefined;
}

async function createMessage(ctx: RequestContext): Promise<RouteResult> {
  const channel = channelOf(ctx);
  if (channel.type === 4 || channel.type === 15 || channel.type === 16) {
    throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
  }
  const recipient = dmRecipient(ctx, channel);
  if (recipient && ctx.state.dmsClosed.has(recipient)) throw Errors.cannotDm();
  if (!recipient && !hasPermission(ctx.state.permissionsOf(ctx.state.botUser.id), Permission.SendMessages)) throw Errors.missingPermissions();
  const body = objectBody(ctx);
  const invalid = validateMessageBody(body, ctx.files, false);
  if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
  const earlier = sameNonce(ctx, channel, body);
  if (earlier) return { status: 200, body: earlier };
  const message = ctx.state.createMessage({ channelId: channel.id, author: ctx.state.botUser, body, files: ctx.files });
  await ctx.gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, message));
  return { status: 200, body: message };
}

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

/** With enforce_nonce, a second message with the bot's same nonce returns the first instead of posting again. */
function sameNonce(ctx: RequestContext, channel: RawChannel, body: Record<string, unknown>): RawMessage | undefined {
  if (body.enforce_nonce !== true || body.nonce === undefined || body.nonce === null) return undefined;
  const since = Date.now() - NONCE_WINDOW_MS;
  return ctx.state.messagesIn(channel.id).find(
    (m) => m.author.id === ctx.state.botUser.id && m.nonce !== undefined && String(m.nonce) === String(body.nonce) && snowflakeTimestamp(m.id) >= since,
  );
}

function listMessages(ctx: RequestContext): RouteResult {
  const channel = channelOf(ctx);
  const limit = Math.min(100, Math.max(1, Number(ctx.query.limit ?? 50) || 50));
  const { before, after, around } = ctx.query;
  // Newest first, as Discord returns them; `after` pages forward from the oldest.
  let list = [...ctx.state.messagesIn(channel.id)].sort((a, b) => compareSnowflakes(b.id, a.id));
  if (before) list = list.filter((m) => compareSnowflakes(m.id, before) < 0).slice(0, limit);
  else if (after) list = list.filter((m) => compareSnowflakes(m.id, after) > 0).slice(-limit);
  else if (around) {
    const index = list.findIndex((m) => compareSnowflakes(m.id, around) <= 0);
    const start = Math.max(0, (index < 0 ? list.length : index) - Math.floor(limit / 2));
    list = list.slice(start, start + limit);
  } else list = list.slice(0, limit);
  return { status: 200, body: list };
}

async function editMessage(ctx: RequestContext): Promise<RouteResult> {
  const channel = channelOf(ctx);
  const message = messageOf(ctx, channel);
  if (message.author.id !== ctx.state.botUser.id) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
  const body = objectBody(ctx);
  const invalid = validateMessageBody(body, ctx.files, true);
  if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
  applyEdit(message, body, { body, files: ctx.files, knownUsers: ctx.state.users, storeAttachment: ctx.state.storeAttachment.bind(ctx.state) });
  await ctx.gateway.dispatch('MESSAGE_UPDATE', messageEventData(ctx, message));
  return { status: 200, body: message };
}

async function deleteMessage(ctx: RequestContext): Promise<RouteResult> {
  const channel = channelOf(ctx);
  const message = messageOf(ctx, channel);
  const own = message.author.id === ctx.state.botUser.id;
  if (!own && !hasPermission(ctx.state.permissionsOf(ctx.state.botUser.id), Permission.ManageMessages)) throw Errors.missingPermissions();
  ctx.state.deleteMessage(channel.id, message.id);
  await ctx.gateway.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}) });
  return { status: 204 };
}

function openDm(ctx: RequestContext): RouteResult {
  const body = objectBody(ctx);
  const recipient = String(body.recipient_id ?? '');
  if (!/^\d{17,20}$/.test(recipient)) throw Errors.form('recipient_id', 'Value "' + recipient + '" is not snowflake.', 'NUMBER_TYPE_COERCE');
  const channel = ctx.state.dmChannelFor(recipient);
  if (!channel) throw new ApiError(400, 50033, 'Invalid Recipient(s)');
  return { status: 200, body: channel };
}

async function react(ctx: RequestContext): Promise<RouteResult> {
  const channel = channelOf(ctx);
  const message = messageOf(ctx, channel);
  const emoji = param(ctx, 'emoji');
  const reactions = (message.reactions ??= []) as { emoji: { id: string | null; name: string }; count: number; me: boolean }[];
  const [name, id] = emoji.includes(':') ? emoji.split(':') : [emoji, null];
  const existing = reactions.find((r) => r.emoji.name === name);
  if (existing && !existing.me) Object.assign(existing, { count: existing.count + 1, me: true });
  if (!existing) reactions.push({ emoji: { id: id ?? null, name: name ?? emoji }, count: 1, me: true });
  return { status: 204 };
}

export const channelRoutes: Route<RequestContext>[] = [
  { method: 'POST', pattern: '/users/@me/channels', handler: openDm },
  { method: 'GET', pattern: '/channels/:channelId', handler: (ctx) => ({ status: 200, body: channelOf(ctx) }) },
  { method: 'GET', pattern: '/channels/:channelId/messages', handler: listMessages },
  { method: 'POST', pattern: '/channels/:channelId/messages', handler: createMessage },
  { method: 'GET', pattern: '/channels/:channelId/messages/:messageId', handler: (ctx) => ({ status: 200, body: messageOf(ctx, channelOf(ctx)) }) },
  { method: 'PATCH', pattern: '/channels/:channelId/messages/:messageId', handler: editMessage },
  { method: 'DELETE', pattern: '/channels/:channelId/messages/:messageId', handler: deleteMessage },
  { method: 'PUT', pattern: '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', handler: react },
  { method: 'POST', pattern: '/channels/:channelId/typing', handler: (ctx) => (channelOf(ctx), { status: 204 }) },
];
