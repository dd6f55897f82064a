// Threads and forum posts, and channel edits (archive, tags, forum tag lists).
import { messageEventData, objectBody, param, type RequestContext } from './context.ts';
import { ApiError, Errors, type Route, type RouteResult } from './http-util.ts';
import { validateMessageBody } from './messages.ts';
import { rawThread, THREAD_TYPES, type RawChannel } from './payloads.ts';
import { channelOf } from './routes-channels.ts';
import type { RawObject } from './types.ts';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

function newThread(ctx: RequestContext, parent: RawChannel, id: string, body: RawObject, type: number): RawChannel {
  const name = typeof body.name === 'string' ? body.name : '';
  if (name.length < 1 || name.length > 100) throw Errors.form('name', 'Must be between 1 and 100 in length.', 'BASE_TYPE_BAD_LENGTH');
  const duration = Number(body.auto_archive_duration ?? parent.default_auto_archive_duration ?? 4320);
  if (!ARCHIVE_DURATIONS.includes(duration)) throw Errors.form('auto_archive_duration', 'Value must be one of (60, 1440, 4320, 10080).', 'BASE_TYPE_CHOICES');
  const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
  const available = ((parent.available_tags ?? []) as RawObject[]).map((t) => String(t.id));
  const unknown = tags.find((t) => !available.includes(t));
  if (unknown) throw Errors.form('applied_tags', `Tag ${unknown} is not an available tag of the forum.`, 'BASE_TYPE_CHOICES');
  const thread = rawThread({
    id, guildId: ctx.state.guild.id, parentId: parent.id, ownerId: ctx.state.botUser.id, name, type,
    autoArchiveDuration: duration, appliedTags: tags, now: new Date().toISOString(),
  });
  ctx.state.channels.set(thread.id, thread);
  return thread;
}

async function createThread(ctx: RequestContext): Promise<RouteResult> {
  const parent = channelOf(ctx);
  const body = objectBody(ctx);
  const isForum = parent.type === 15 || parent.type === 16;
  if (!isForum && parent.type !== 0 && parent.type !== 5) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  if (isForum) {
    // A forum post is a thread plus its starter message, which shares the thread's id.
    const starter = (body.message ?? {}) as RawObject;
    const invalid = validateMessageBody(starter, ctx.files, false);
    if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
    const id = ctx.state.ids.next();
    const thread = newThread(ctx, parent, id, body, 11);
    const message = ctx.state.createMessage({ id, channelId: thread.id, author: ctx.state.botUser, body: starter, files: ctx.files });
    parent.last_message_id = thread.id;
    await ctx.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    await ctx.gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, message));
    return { status: 201, body: { ...thread, message } };
  }
  const type = Number(body.type ?? 12);
  const thread = newThread(ctx, parent, ctx.state.ids.next(), body, type === 11 ? 11 : 12);
  await ctx.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
  return { status: 201, body: thread };
}

async function threadFromMessage(ctx: RequestContext): Promise<RouteResult> {
  const parent = channelOf(ctx);
  const message = ctx.state.messagesIn(parent.id).find((m) => m.id === param(ctx, 'messageId'));
  if (!message) throw Errors.unknownMessage();
  if (ctx.state.channels.has(message.id)) throw new ApiError(400, 160004, 'A thread has already been created for this message');
  const thread = newThread(ctx, parent, message.id, objectBody(ctx), parent.type === 5 ? 10 : 11);
  message.thread = thread;
  await ctx.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
  return { status: 201, body: thread };
}

async function editChannel(ctx: RequestContext): Promise<RouteResult> {
  const channel = channelOf(ctx);
  const body = objectBody(ctx);
  const isThread = THREAD_TYPES.has(channel.type);
  for (const key of ['name', 'topic', 'nsfw', 'rate_limit_per_user', 'parent_id', 'position', 'default_auto_archive_duration', 'flags'] as const) {
    if (key in body) (channel as Record<string, unknown>)[key] = body[key];
  }
  if (isThread) {
    const meta = channel.thread_metadata as RawObject;
    for (const key of ['archived', 'locked', 'auto_archive_duration', 'invitable'] as const) {
      if (key in body) meta[key] = body[key];
    }
    if ('archived' in body) meta.archive_timestamp = new Date().toISOString();
    if (Array.isArray(body.applied_tags)) {
      const parent = ctx.state.channels.get(String(channel.parent_id));
      const available = ((parent?.available_tags ?? []) as RawObject[]).map((t) => String(t.id));
      const unknown = body.applied_tags.map(String).find((t) => !available.includes(t));
      if (unknown) throw Errors.form('applied_tags', `Tag ${unknown} is not an available tag of the forum.`, 'BASE_TYPE_CHOICES');
      channel.applied_tags = body.applied_tags.map(String);
    }
  } else if (Array.isArray(body.available_tags)) {
    if (channel.type !== 15 && channel.type !== 16) throw Errors.form('available_tags', 'Only forum and media channels have tags.');
    // Tags without an id are new: Discord assigns one; tags left out are removed.
    channel.available_tags = (body.available_tags as RawObject[]).map((t) => ({
      id: t.id ? String(t.id) : ctx.state.ids.next(),
      name: String(t.name ?? ''),
      moderated: t.moderated === true,
      emoji_id: t.emoji_id ?? null,
      emoji_name: t.emoji_name ?? null,
    }));
  }
  await ctx.gateway.dispatch(isThread ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', channel);
  return { status: 200, body: channel };
}

export const threadRoutes: Route<RequestContext>[] = [
  { method: 'POST', pattern: '/channels/:channelId/threads', handler: createThread },
  { method: 'POST', pattern: '/channels/:channelId/messages/:messageId/threads', handler: threadFromMessage },
  { method: 'PATCH', pattern: '/channels/:channelId', handler: editChannel },
];
