// The REST side: /api/v10 routing, auth, rate limits, recording every request, attachment downloads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext, RequestContext } from './context.ts';
import { ApiError, matchRoute, parseBody, readBody, type Route, type RouteResult } from './http-util.ts';
import type { FaultInjector } from './faults.ts';
import type { StoredFile } from './messages.ts';
import { RateLimiter } from './rate-limits.ts';
import type { RecordedRequest } from './types.ts';

const PREFIX = '/api/v10';

export interface RestServerDeps extends EmulatorContext {
  token: string;
  routes: Route<RequestContext>[];
  rateLimiter?: RateLimiter;
  faults?: FaultInjector;
  requests: RecordedRequest[];
  onRequest?: (req: RecordedRequest) => void;
  warn: (line: string) => void;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): unknown {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return undefined;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
  return JSON.parse(text) as unknown;
}

function recordedHeaders(req: IncomingMessage, token: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    // Recorded requests end up in test output; never keep the token itself.
    out[k] = k === 'authorization' ? value.split(token).join('[token]') : value;
  }
  return out;
}

export function createRequestHandler(deps: RestServerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' && url.pathname.startsWith('/attachments/')) return serveAttachment(deps, url.pathname, res);

    const segments = url.pathname.split('/').filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    const path = `/${segments.join('/')}`;
    const query = Object.fromEntries(url.searchParams);
    let parsed: { body: unknown; files: StoredFile[] } = { body: undefined, files: [] };
    let status = 500;
    let response: unknown;
    let headers: Record<string, string> = {};
    try {
      parsed = await parseBody(await readBody(req), req.headers['content-type']);
      const result = await route(deps, method, path, segments, query, parsed, req, (h) => (headers = h));
      status = result.status;
      response = sendJson(res, status, result.body, headers);
    } catch (error) {
      if (error instanceof ApiError) {
        status = error.status;
      } else {
        status = 500;
        deps.warn(`discord emulator: ${method} ${path} crashed: ${error instanceof Error ? error.stack : String(error)}`);
      }
      const body = error instanceof ApiError ? error.toJSON() : { message: '500: Internal Server Error', code: 0 };
      response = sendJson(res, status, body, headers);
    }
    const recorded: RecordedRequest = {
      method, path, query, headers: recordedHeaders(req, deps.token), body: parsed.body,
      attachments: parsed.files.map(({ data: _d, ...a }) => a), status, response, at: Date.now(),
    };
    deps.requests.push(recorded);
    deps.onRequest?.(recorded);
  };
}

async function route(
  deps: RestServerDeps,
  method: string,
  path: string,
  segments: string[],
  query: Record<string, string>,
  parsed: { body: unknown; files: StoredFile[] },
  req: IncomingMessage,
  setHeaders: (h: Record<string, string>) => void,
): Promise<RouteResult> {
  const notFound = () => new ApiError(404, 0, '404: Not Found');
  if (!path.startsWith(`${PREFIX}/`)) {
    deps.warn(`discord emulator: unknown route ${method} ${path} (only ${PREFIX} is served)`);
    throw notFound();
  }
  const match = matchRoute(deps.routes, method, segments.slice(2));
  if (match === 'method') throw new ApiError(405, 0, '405: Method Not Allowed');
  if (!match) {
    deps.warn(`discord emulator: unknown route ${method} ${path}`);
    throw notFound();
  }
  if (match.route.auth !== false && req.headers.authorization !== `Bot ${deps.token}`) {
    throw new ApiError(401, 0, '401: Unauthorized');
  }
  // Injected faults answer after authentication, as Discord's own errors would, and before rate limiting.
  const fault = deps.faults?.take(method, path.slice(PREFIX.length), match.route.pattern, match.params);
  if (fault) {
    setHeaders(fault.headers);
    deps.log(`fault: ${method} ${path} -> ${fault.status}`);
    return { status: fault.status, body: fault.body };
  }
  if (deps.rateLimiter) {
    // Interaction callbacks are not rate limited by Discord like other routes.
    const decision = deps.rateLimiter.check(method, match.route.pattern, match.params, match.route.pattern.startsWith('/interactions/'));
    setHeaders(decision.headers);
    if (decision.limited) {
      deps.log(`rate limit: ${method} ${path} -> 429${decision.limited.body.global ? ' (global)' : ''}`);
      return { status: 429, body: decision.limited.body };
    }
  }
  const ctx: RequestContext = { ...deps, method, params: match.params, query, body: parsed.body, files: parsed.files };
  return match.route.handler(ctx);
}

function serveAttachment(deps: RestServerDeps, pathname: string, res: ServerResponse): void {
  const id = pathname.split('/')[3] ?? '';
  const file = deps.state.attachments.get(id);
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.size) }).end(file.data);
}
