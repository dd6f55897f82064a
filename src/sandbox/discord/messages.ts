// Turning "create/edit message" request bodies into stored raw messages, as Discord does.
import type { RawMessage, RawUser } from './payloads.ts';
import type { RawObject, RecordedAttachment } from './types.ts';

export const MessageFlags = { Ephemeral: 64, Loading: 128, SuppressEmbeds: 4 } as const;

export interface StoredFile extends RecordedAttachment {
  data: Buffer;
}

export interface MessageBodyError {
  code: number;
  message: string;
  errors?: RawObject;
}

/** Discord's checks on a message body: 50006 when empty, 50035 when a field is out of bounds. */
export function validateMessageBody(body: RawObject, files: readonly StoredFile[], isEdit: boolean): MessageBodyError | null {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') return formError('content', 'Must be a string.');
  if (typeof content === 'string' && content.length > 2000) {
    return formError('content', 'Must be 2000 or fewer in length.', 'BASE_TYPE_MAX_LENGTH');
  }
  const embeds = body.embeds;
  if (Array.isArray(embeds) && embeds.length > 10) return formError('embeds', 'Must be 10 or fewer in length.', 'BASE_TYPE_MAX_LENGTH');
  const components = body.components;
  if (Array.isArray(components) && components.length > 40) return formError('components', 'Must be 40 or fewer in length.', 'BASE_TYPE_MAX_LENGTH');
  if (isEdit) return null;
  const hasContent = typeof content === 'string' && content.length > 0;
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  if (!hasContent && !nonEmpty(embeds) && !nonEmpty(components) && files.length === 0 && !body.sticker_ids && !body.poll) {
    return { code: 50006, message: 'Cannot send an empty message' };
  }
  return null;
}

function formError(field: string, message: string, code = 'BASE_TYPE_BAD_TYPE'): MessageBodyError {
  return { code: 50035, message: 'Invalid Form Body', errors: { [field]: { _errors: [{ code, message }] } } };
}

export interface BuildMessageInput {
  id: string;
  channelId: string;
  author: RawUser;
  body: RawObject;
  files: readonly StoredFile[];
  /** Keeps the bytes (served under /attachments) and returns the attachment's id and URL. */
  storeAttachment: (file: StoredFile, filename: string, channelId: string) => { id: string; url: string };
  knownUsers: ReadonlyMap<string, RawUser>;
  type?: number;
  extra?: RawObject;
}

export function buildMessage(input: BuildMessageInput): RawMessage {
  const body = input.body;
  const content = typeof body.content === 'string' ? body.content : '';
  const message: RawMessage = {
    type: input.type ?? (body.message_reference ? 19 : 0),
    content,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: normaliseEmbeds(body.embeds),
    timestamp: new Date(Number((BigInt(input.id) >> 22n) + 1_420_070_400_000n)).toISOString(),
    edited_timestamp: null,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    components: Array.isArray(body.components) ? body.components : [],
    id: input.id,
    channel_id: input.channelId,
    author: input.author,
    pinned: false,
    mention_everyone: false,
    tts: body.tts === true,
    ...input.extra,
  };
  if (body.message_reference) message.message_reference = { type: 0, channel_id: input.channelId, ...(body.message_reference as RawObject) };
  if (body.nonce !== undefined) message.nonce = body.nonce;
  message.mentions = resolveMentions(content, body.allowed_mentions as RawObject | undefined, input.knownUsers);
  message.attachments = buildAttachments(body, input);
  return message;
}

/** Applies an edit body; fields left out stay as they were (Discord's PATCH semantics). */
export function applyEdit(message: RawMessage, body: RawObject, input: Omit<BuildMessageInput, 'id' | 'author' | 'channelId'>): void {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = normaliseEmbeds(body.embeds);
  if ('components' in body) message.components = Array.isArray(body.components) ? body.components : [];
  if (typeof body.flags === 'number') {
    // Only SUPPRESS_EMBEDS may change on an existing message; ephemeral stays what it was.
    message.flags = (message.flags & ~MessageFlags.SuppressEmbeds) | (body.flags & MessageFlags.SuppressEmbeds);
  }
  if ('attachments' in body || input.files.length > 0) {
    const kept = Array.isArray(body.attachments)
      ? message.attachments.filter((a) => (body.attachments as RawObject[]).some((k) => String(k.id) === a.id))
      : message.attachments;
    message.attachments = [...kept, ...buildAttachments(body, { ...input, channelId: message.channel_id })];
  }
  if ('content' in body) message.mentions = resolveMentions(message.content, body.allowed_mentions as RawObject | undefined, input.knownUsers);
  message.edited_timestamp = new Date().toISOString();
}

function normaliseEmbeds(embeds: unknown): unknown[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e) => ({ type: 'rich', ...(e as RawObject), content_scan_version: 0 }));
}

/** `mentions` lists who would actually be pinged: users named in the content and allowed by allowed_mentions. */
function resolveMentions(content: string, allowed: RawObject | undefined, users: ReadonlyMap<string, RawUser>): RawUser[] {
  const ids = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] as string);
  const permitted = (id: string) => {
    if (!allowed) return true;
    const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
    if (parse.includes('users')) return true;
    return Array.isArray(allowed.users) && allowed.users.includes(id);
  };
  const out: RawUser[] = [];
  for (const id of new Set(ids)) {
    const user = users.get(id);
    if (user && permitted(id)) out.push(user);
  }
  return out;
}

function buildAttachments(body: RawObject, input: Pick<BuildMessageInput, 'files' | 'storeAttachment' | 'channelId'>): RawObject[] {
  const described = Array.isArray(body.attachments) ? (body.attachments as RawObject[]) : [];
  return input.files.map((file, index) => {
    // discord.js names file fields files[N] and describes them in payload_json.attachments with id N.
    const n = /\[(\d+)\]/.exec(file.field)?.[1] ?? String(index);
    const meta = described.find((a) => String(a.id) === n) ?? {};
    const filename = typeof meta.filename === 'string' ? meta.filename : file.filename;
    const { id, url } = input.storeAttachment(file, filename, input.channelId);
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
    };
  });
}
