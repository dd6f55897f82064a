// POST /interactions/{id}/{token}/callback: the first answer to an interaction, all callback types.
import { messageEventData, objectBody, param, type RequestContext } from './context.ts';
import { ApiError, Errors, type Route, type RouteResult } from './http-util.ts';
import type { InteractionRecord } from './interactions.ts';
import { applyEdit, MessageFlags, validateMessageBody } from './messages.ts';
import type { RawMessage } from './payloads.ts';
import type { RawObject, VisibleReply } from './types.ts';

const ALLOWED: Record<number, number[]> = {
  2: [4, 5, 9, 12], // application command
  3: [4, 5, 6, 7, 9, 12], // message component
  4: [8], // autocomplete
  5: [4, 5, 6, 7], // modal submit (6 and 7 only when the modal came from a message)
};

/** The message an interaction response creates: sent by the bot through the application's webhook. */
export function interactionMessage(ctx: RequestContext, rec: InteractionRecord, data: RawObject, flags: number): RawMessage {
  const raw = rec.raw;
  const user = (raw.member as RawObject | undefined)?.user ?? raw.user;
  const name = (raw.data as RawObject | undefined)?.name;
  return ctx.state.createMessage({
    channelId: String(raw.channel_id),
    author: ctx.state.botUser,
    body: { ...data, flags },
    files: ctx.files,
    type: rec.type === 2 ? 20 : 0,
    extra: {
      webhook_id: ctx.state.applicationId,
      application_id: ctx.state.applicationId,
      interaction_metadata: {
        id: rec.id,
        type: rec.type,
        user,
        authorizing_integration_owners: raw.authorizing_integration_owners,
        ...(rec.type === 2 ? { name, command_type: (raw.data as RawObject).type } : {}),
        ...(rec.sourceMessageId ? { interacted_message_id: rec.sourceMessageId } : {}),
      },
      interaction: { id: rec.id, type: rec.type, name: name ?? '', user },
    },
  });
}

async function callback(ctx: RequestContext): Promise<RouteResult> {
  const rec = ctx.interactions.get(param(ctx, 'interactionId'));
  if (!rec || rec.token !== param(ctx, 'token')) throw Errors.unknownInteraction();
  const body = objectBody(ctx);
  const type = Number(body.type);
  const data = (body.data ?? {}) as RawObject;
  const base = { kind: 'callback' as const, callbackType: type, body, attachments: ctx.files.map(({ data: _d, ...a }) => a) };
  try {
    const result = await respond(ctx, rec, type, data);
    ctx.interactions.record(rec, { ...base, ...result.response, status: result.status }, result.visibleAs);
    return result;
  } catch (error) {
    if (error instanceof ApiError) {
      ctx.interactions.record(rec, { ...base, ephemeral: false, status: error.status, error: { code: error.code, message: error.message } });
    }
    throw error;
  }
}

interface CallbackResult extends RouteResult {
  response: { message?: RawObject; ephemeral: boolean };
  visibleAs?: VisibleReply['kind'];
}

async function respond(ctx: RequestContext, rec: InteractionRecord, type: number, data: RawObject): Promise<CallbackResult> {
  if (rec.callbackType !== undefined) throw Errors.alreadyAcknowledged();
  // Discord forgets an interaction that was not answered in time (3 s); the token then is unknown.
  if (Date.now() - rec.createdAt > ctx.interactions.callbackTimeoutMs) throw Errors.unknownInteraction();
  const fromMessage = rec.sourceMessageId !== undefined;
  if (!(ALLOWED[rec.type] ?? []).includes(type) || ((type === 6 || type === 7) && !fromMessage)) {
    throw Errors.form('type', `Interaction callback type ${type} is not valid for interaction type ${rec.type}.`, 'INTERACTION_CALLBACK_TYPE_INVALID');
  }
  const flags = typeof data.flags === 'number' ? data.flags : 0;
  const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
  let message: RawMessage | undefined;
  let visibleAs: VisibleReply['kind'] | undefined;

  if (type === 4) {
    const invalid = validateMessageBody(data, ctx.files, false);
    if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
    message = interactionMessage(ctx, rec, data, flags);
    visibleAs = 'reply';
  } else if (type === 5) {
    message = interactionMessage(ctx, rec, { content: '' }, MessageFlags.Loading | (flags & MessageFlags.Ephemeral));
  } else if (type === 6 || type === 7) {
    message = ctx.state.findMessage(rec.sourceMessageId as string);
    if (!message) throw Errors.unknownMessage();
    if (type === 7) {
      const invalid = validateMessageBody(data, ctx.files, true);
      if (invalid) throw new ApiError(400, invalid.code, invalid.message, invalid.errors);
      applyEdit(message, data, { body: data, files: ctx.files, knownUsers: ctx.state.users, storeAttachment: (f, n, c) => ctx.state.storeAttachment(f, n, c) });
      visibleAs = 'update';
    }
  } else if (type === 8) {
    const choices = data.choices;
    if (!Array.isArray(choices) || choices.length > 25) throw Errors.form('data.choices', 'Must be 25 or fewer in length.', 'BASE_TYPE_MAX_LENGTH');
    visibleAs = 'autocomplete';
  } else if (type === 9) {
    const components = data.components;
    if (typeof data.custom_id !== 'string' || typeof data.title !== 'string' || !Array.isArray(components) || components.length < 1 || components.length > 5) {
      throw Errors.form('data', 'A modal needs custom_id, title and 1 to 5 components.', 'BASE_TYPE_REQUIRED');
    }
    ctx.state.modals.set(data.custom_id, structuredClone(data));
    visibleAs = 'modal';
  }

  rec.callbackType = type;
  if (message) rec.originalMessageId = message.id;
  if (message && type !== 6 && (message.flags & MessageFlags.Ephemeral) === 0) {
    await ctx.gateway.dispatch(type === 7 ? 'MESSAGE_UPDATE' : 'MESSAGE_CREATE', messageEventData(ctx, message));
  }
  const msgEphemeral = message ? (message.flags & MessageFlags.Ephemeral) !== 0 : ephemeral;
  const response = { ...(message && type !== 6 ? { message } : {}), ephemeral: type === 8 || type === 9 || msgEphemeral };
  if (ctx.query.with_response !== 'true') return { status: 204, response, visibleAs };
  return {
    status: 200,
    response,
    visibleAs,
    body: {
      interaction: {
        id: rec.id,
        type: rec.type,
        activity_instance_id: null,
        ...(message ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: msgEphemeral } : {}),
      },
      resource: { type, ...(message && type !== 6 ? { message } : {}) },
    },
  };
}

export const interactionCallbackRoutes: Route<RequestContext>[] = [
  { method: 'POST', pattern: '/interactions/:interactionId/:token/callback', auth: false, handler: callback },
];
