// The seam between the real discord.js and the contract: a `makeRequest` for @discordjs/rest (the
// REST option, also reachable as `new Client({ rest: { makeRequest } })`). Every request discord.js
// sends is decoded, validated, and answered by the test's `respond`; a request that breaks the
// contract is answered the way Discord would (404/405/400 with 50035), and recorded when a recorder
// is passed, so a bot that swallows the error still fails the test at assertClean().
import type { RESTOptions } from '@discordjs/rest';
import type { CapturedFile, ContractRecorder, ContractRequest, ContractVerdict, DiscordContract } from './types.js';

export type MakeRequest = RESTOptions['makeRequest'];
type RequestInitLike = Parameters<MakeRequest>[1];
type ResponseLike = Awaited<ReturnType<MakeRequest>>;

export interface RigReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
/** Answers a valid request; the verdict carries the operationId to route fake responses on. */
export type RigResponder = (req: ContractRequest, verdict: ContractVerdict) => RigReply | Promise<RigReply>;

export function contractMakeRequest(contract: DiscordContract | ContractRecorder, respond: RigResponder): MakeRequest {
  return async (url, init) => {
    const req = await captureRequest(url, init);
    const verdict = 'record' in contract ? contract.record(req) : contract.validate(req);
    return verdict.ok ? toResponse(await respond(req, verdict)) : discordRejection(verdict);
  };
}

/** Decodes what discord.js handed to fetch into a ContractRequest (path kept as sent; validate() decodes it). */
export async function captureRequest(url: string, init: RequestInitLike): Promise<ContractRequest> {
  const target = new URL(url);
  const headers = headersOf(init.headers);
  const req: ContractRequest = { method: (init.method ?? 'GET').toUpperCase(), path: target.pathname, headers };
  if (target.search) req.query = Object.fromEntries(target.searchParams);
  const body: unknown = init.body;
  if (body == null || body === '') return req;
  if (isFormData(body)) {
    const fields: Record<string, string> = {};
    const files: CapturedFile[] = [];
    for (const [key, value] of body.entries()) {
      if (typeof value === 'string') fields[key] = value;
      else files.push({ key, name: value.name ?? key, contentType: value.type, size: value.size });
    }
    // discord.js puts the JSON in payload_json, except for appendToFormData routes (stickers).
    req.body = fields['payload_json'] !== undefined ? parseJson(fields['payload_json']) : fields;
    req.files = files;
    return req;
  }
  const text = typeof body === 'string' ? body : body instanceof Uint8Array || body instanceof ArrayBuffer ? new TextDecoder().decode(body) : undefined;
  req.body = text === undefined ? { unreadableBody: Object.prototype.toString.call(body) } : parseJson(text);
  return req;
}

interface FormDataLike {
  entries(): IterableIterator<[string, string | { name?: string; type: string; size: number }]>;
}
// Duck-typed: discord.js may build the FormData from undici's class rather than Node's global one.
function isFormData(body: unknown): body is FormDataLike {
  return typeof body === 'object' && body !== null && typeof (body as { append?: unknown }).append === 'function' && typeof (body as FormDataLike).entries === 'function';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // validation then reports the raw string against the object schema
  }
}

function headersOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const pairs: Iterable<[string, string]> | undefined =
    raw == null ? undefined
    : typeof (raw as { entries?: unknown }).entries === 'function' ? (raw as { entries(): Iterable<[string, string]> }).entries()
    : Array.isArray(raw) ? (raw as [string, string][])
    : Object.entries(raw as Record<string, string>);
  for (const [name, value] of pairs ?? []) out[name.toLowerCase()] = String(value);
  // Never keep a token in a recorded request: violations get printed.
  if (out['authorization'] !== undefined) out['authorization'] = out['authorization'].replace(/ .*/, ' [redacted]');
  return out;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toResponse(reply: RigReply): ResponseLike {
  const noBody = reply.body === undefined || NULL_BODY_STATUSES.has(reply.status);
  const headers = noBody ? { ...reply.headers } : { 'content-type': 'application/json', ...reply.headers };
  const response = new Response(noBody ? null : JSON.stringify(reply.body), { status: reply.status, headers });
  return response as unknown as ResponseLike; // global Response and @discordjs/rest's undici ResponseLike differ only in typings
}

function discordRejection(verdict: ContractVerdict): ResponseLike {
  const detail = verdict.errors.join('; ');
  if (verdict.reason === 'no-route' || verdict.reason === 'bad-path') {
    return toResponse({ status: 404, body: { message: `404: Not Found (contract rig: ${detail})`, code: 0 } });
  }
  if (verdict.reason === 'method-not-allowed') {
    return toResponse({ status: 405, body: { message: `405: Method Not Allowed (contract rig: ${detail})`, code: 0 } });
  }
  return toResponse({ status: 400, body: { message: `Invalid Form Body (contract rig: ${detail})`, code: 50035, errors: {} } });
}
