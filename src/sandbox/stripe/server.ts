import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { EmulatorCore } from './core.ts';
import { StripeApiError, authenticationError, unrecognizedUrl } from './errors.ts';
import { applyExpand } from './expand.ts';
import { decodeForm, list, type FormObject } from './form.ts';
import { IdempotencyCache } from './idempotency.ts';
import { newRequestId } from './ids.ts';
import { handlePage } from './pages.ts';
import { match, type Route } from './router.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: FormObject;
  /** The form body decoded into nested objects, e.g. `{ metadata: { discord_user_id: '…' } }`. */
  body: FormObject;
  idempotencyKey: string | null;
  stripeVersion: string | null;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('request body over 1 MiB'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  // Stripe also takes the key as the Basic-auth user name (curl -u sk_test_…:).
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  return undefined;
}

export interface ApiServerOptions {
  core: EmulatorCore;
  routes: Route[];
  secretKey: string;
  requests: RecordedRequest[];
}

/** The node:http request handler: hosted pages, then the authenticated `/v1` API with idempotency and `expand[]`. */
export function createRequestHandler(opts: ApiServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { core } = opts;
  const idempotency = new IdempotencyCache();
  const warnedVersions = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (!url.pathname.startsWith('/v1/')) {
      const page = await handlePage(core, method, url.pathname, raw);
      res.writeHead(page?.status ?? 404, page?.headers ?? { 'content-type': 'text/plain' }).end(page?.body ?? 'Not found');
      return;
    }
    const requestId = newRequestId();
    const key = method === 'POST' ? ((req.headers['idempotency-key'] as string | undefined) ?? null) : null;
    const version = (req.headers['stripe-version'] as string | undefined) ?? null;
    const query = decodeForm(url.search.slice(1));
    const body = method === 'POST' ? decodeForm(raw) : {};
    opts.requests.push({ method, path: url.pathname, query, body, idempotencyKey: key, stripeVersion: version });
    if (version && version !== Stripe.API_VERSION && !warnedVersions.has(version)) {
      warnedVersions.add(version);
      core.log(`warning: a client asked for API version ${version}; the emulator shapes objects as ${Stripe.API_VERSION}`);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId, 'stripe-version': version ?? Stripe.API_VERSION };
    if (key) headers['idempotency-key'] = key;
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    let status = 200;
    let payload: string;
    try {
      if (bearer(req) !== opts.secretKey) throw authenticationError(bearer(req));
      const found = match(opts.routes, method, url.pathname);
      if (!found) throw unrecognizedUrl(method, url.pathname);
      const replay = key ? idempotency.begin(key, fingerprint) : undefined;
      if (replay) {
        res.writeHead(replay.status, { ...headers, 'idempotent-replayed': 'true' }).end(replay.body);
        return;
      }
      try {
        const input: FormObject = { ...query, ...body };
        const result = await found.route.handler({ core, params: found.params, input, request: { id: requestId, idempotency_key: key } });
        const expand = list(input.expand).filter((p): p is string => typeof p === 'string');
        payload = JSON.stringify(applyExpand(result, expand, (id) => core.store.find(id)));
      } catch (err) {
        if (key) idempotency.end(key, fingerprint, 500, '');
        throw err;
      }
      if (key) idempotency.end(key, fingerprint, status, payload);
    } catch (err) {
      const known = err instanceof StripeApiError ? err : new StripeApiError(500, { type: 'api_error', message: 'An unknown error occurred in the Stripe emulator.' });
      if (!(err instanceof StripeApiError)) core.log(`error: ${method} ${url.pathname}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      status = known.status;
      payload = JSON.stringify(known.toJSON(requestId));
    }
    core.log(`${method} ${url.pathname} -> ${status}`);
    res.writeHead(status, headers).end(payload);
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      core.log(`error: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  };
}
