// HTTP plumbing: Discord-shaped errors, body parsing (JSON and multipart), a tiny router.
import type { IncomingMessage } from 'node:http';
import type { StoredFile } from './messages.ts';
import type { RawObject } from './types.ts';

const MAX_BODY = 26 * 1024 * 1024; // Discord's upload cap for unboosted servers is 25 MiB (+ JSON)

/** An error Discord would answer with: HTTP status, JSON error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: RawObject,
  ) {
    super(message);
  }

  toJSON(): RawObject {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const Errors = {
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownRole: () => new ApiError(404, 10011, 'Unknown Role'),
  unknownUser: () => new ApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownCommand: () => new ApiError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  cannotDm: () => new ApiError(403, 50007, 'Cannot send messages to this user'),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  form: (field: string, message: string, code = 'BASE_TYPE_BAD_TYPE') =>
    new ApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } }),
};

export interface ParsedBody {
  body: unknown;
  files: StoredFile[];
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 40005, 'Request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies, or multipart/form-data with `payload_json` plus file parts (how discord.js uploads). */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // undici's Response (global in Node 20) parses multipart correctly; no dependency needed.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    const files: StoredFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = parseJson(value);
        continue;
      }
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, filename: value.name, size: data.length, contentType: value.type || 'application/octet-stream', data });
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw Errors.invalidJson();
  }
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route<C> {
  method: string;
  /** e.g. /channels/:channelId/messages/:messageId */
  pattern: string;
  /** Interaction callbacks and webhook-token routes need no bot token, as on Discord. */
  auth?: boolean;
  handler: (ctx: C) => RouteResult | Promise<RouteResult>;
}

export interface MatchedRoute<C> {
  route: Route<C>;
  params: Record<string, string>;
}

/** Matches on decoded segments, so `%40original` and `@original` are the same path. */
export function matchRoute<C>(routes: readonly Route<C>[], method: string, segments: readonly string[]): MatchedRoute<C> | 'method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const parts = route.pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((p, i) => {
      const seg = segments[i] as string;
      if (p.startsWith(':')) {
        params[p.slice(1)] = seg;
        return seg.length > 0;
      }
      return p === seg;
    });
    if (!ok) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? 'method' : undefined;
}
