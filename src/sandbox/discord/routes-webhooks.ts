// Interaction webhooks: follow-ups and @original / follow-up message GET, PATCH, DELETE.
import { messageEventData, objectBody, param, type RequestContext } from './context.ts';
import { ApiError, Errors, type Route, type RouteResult } from './http-util.ts';
import { TOKEN_LIFETIME_MS, type InteractionRecord } from './interactions.ts';
import { applyEdit, MessageFlags, validateMessageBody } from './messages.ts';
import type { RawMessage } from './payloads.ts';
import { interactionMessage } from './routes-interaction-callback.ts';
import type { InteractionResponse, RawObject, VisibleReply } from './types.ts';

function interactionOf(ctx: RequestContext): InteractionRecord {
  const rec = ctx.interactions.getByToken(param(ctx, 'token'));
  if (!rec || param(ctx, 'webhookId') !== ctx.state.applicationId) throw Errors.unknownWebhook();
  if (Date.now() - rec.createdAt > TOKEN_LIFETIME_MS) throw new ApiError(401, 50027, 'Invalid Webhook Token');
  return rec;
}

function targetMessage(ctx: RequestContext, rec: InteractionRecord): { message: RawMessage; original: boolean } {
  const id = param(ctx, 'messageId');
  const original = id === '@original' || id === rec.originalMessageId;
  const messageId = id === '@original' ? rec.originalMessageId : rec.followups.has(id) || original ? id : undefined;
  const message = messageId ? ctx.state.findMessage(messageId) : undefined;
  if (!message) throw Errors.unknownMessage();
  return { message, original };
}

const isEphemeral = (m: RawMessage) => (m.flags & MessageFlags.Ephemeral) !== 0;
const attachments = (ctx: RequestContext) => ctx.files.map(({ data: _d, ...a }) => a);

/** Runs a webhook operation and records it on the interaction, failed or not. */
async function tracked(
  ctx: RequestContext,
  kind: (rec: InteractionRecord) => InteractionResponse['kind'],
  run: (rec: InteractionRecord) => Promise<{ result: RouteResult; message?: RawMessage; visibleAs?: VisibleReply['kind'] }>,
): Promise<RouteResult> {
  const rec = interactionOf(ctx);
  const body = ctx.method === 'DELETE' ? {} : objectBody(ctx);
  const base = { kind: kind(rec), body, attachments: attachments(ctx) };
  try {
    const { result, message, visibleAs } = await run(rec);
    ctx.interactions.record(rec, { ...base, message, ephemeral: message ? isEphemeral(message) : false, status: result.status }, visibleAs);
    return result;
  } catch (error) {
    if (error instanceof ApiError) {
      ctx.interactions.record(rec, { ...base, ephemeral: false, status: error.status, error: { code: error.code, message: error.message } });
    }
    throw error;
  }
}

const followUp = (ctx: RequestContext) =>
  tracked(ctx, () => 'followup', async (rec) => {
    // Follow-ups need the initial response first; before it, Discord does not know the webhook.
    if (rec.callbackType === undefined) throw Errors.unknownWebhook();
    const body = objectBody(ctx);
    const invalid = validateMessageBody(body, ctx.files, false);
    if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
    const wait = ctx.query.wait === 'true';
    const original = rec.originalMessageId ? ctx.state.findMessage(rec.originalMessageId) : undefined;
    let message: RawMessage;
    if (rec.callbackType === 5 && original && (original.flags & MessageFlags.Loading) !== 0) {
      // Discord: the first follow-up after a deferred reply edits the "thinking" message instead of
      // creating one, and keeps the ephemeral flag chosen when deferring.
      applyEdit(original, body, editInput(ctx, body));
      original.flags &= ~MessageFlags.Loading;
      message = original;
      if (!isEphemeral(message)) await ctx.gateway.dispatch('MESSAGE_UPDATE', messageEventData(ctx, message));
    } else {
      const flags = typeof body.flags === 'number' ? body.flags : 0;
      message = interactionMessage(ctx, rec, body, flags & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds));
      rec.followups.add(message.id);
      if (!isEphemeral(message)) await ctx.gateway.dispatch('MESSAGE_CREATE', messageEventData(ctx, message));
    }
    return { result: wait ? { status: 200, body: message } : { status: 204 }, message, visibleAs: 'followup' };
  });

function editInput(ctx: RequestContext, body: RawObject) {
  return { body, files: ctx.files, knownUsers: ctx.state.users, storeAttachment: ctx.state.storeAttachment.bind(ctx.state) };
}

const getMessage = async (ctx: RequestContext): Promise<RouteResult> => {
  const rec = interactionOf(ctx);
  return { status: 200, body: targetMessage(ctx, rec).message };
};

const editMessage = (ctx: RequestContext) =>
  tracked(ctx, (rec) => (param(ctx, 'messageId') === '@original' || param(ctx, 'messageId') === rec.originalMessageId ? 'edit-original' : 'edit-followup'), async (rec) => {
    const { message, original } = targetMessage(ctx, rec);
    const body = objectBody(ctx);
    const invalid = validateMessageBody(body, ctx.files, true);
    if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
    const wasLoading = (message.flags & MessageFlags.Loading) !== 0;
    applyEdit(message, body, editInput(ctx, body));
    message.flags &= ~MessageFlags.Loading;
    if (!isEphemeral(message)) await ctx.gateway.dispatch('MESSAGE_UPDATE', messageEventData(ctx, message));
    // What the member sees changes here only when the edit replaces a deferral.
    const visibleAs = original && rec.callbackType === 5 && wasLoading ? 'edit' : original && rec.callbackType === 6 ? 'update' : undefined;
    return { result: { status: 200, body: message }, message, visibleAs };
  });

const deleteMessage = (ctx: RequestContext) =>
  tracked(ctx, (rec) => (param(ctx, 'messageId') === '@original' || param(ctx, 'messageId') === rec.originalMessageId ? 'delete-original' : 'delete-followup'), async (rec) => {
    const { message } = targetMessage(ctx, rec);
    ctx.state.deleteMessage(message.channel_id, message.id);
    rec.followups.delete(message.id);
    if (!isEphemeral(message)) {
      const channel = ctx.state.channels.get(message.channel_id);
      await ctx.gateway.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}) });
    }
    return { result: { status: 204 }, message };
  });

export const webhookRoutes: Route<RequestContext>[] = [
  { method: 'POST', pattern: '/webhooks/:webhookId/:token', auth: false, handler: followUp },
  { method: 'GET', pattern: '/webhooks/:webhookId/:token/messages/:messageId', auth: false, handler: getMessage },
  { method: 'PATCH', pattern: '/webhooks/:webhookId/:token/messages/:messageId', auth: false, handler: editMessage },
  { method: 'DELETE', pattern: '/webhooks/:webhookId/:token/messages/:messageId', auth: false, handler: deleteMessage },
];
