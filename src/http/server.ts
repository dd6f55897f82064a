import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';

export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
}

export type RouteHandler = (req: IncomingMessage) => Promise<HttpReply>;

/** Keys are "METHOD /path"; the listener has few routes, so an exact-match table is enough. */
export type Routes = Record<string, RouteHandler>;

export interface HttpListener {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export async function startHttpServer(routes: Routes, port: number, logger: Logger): Promise<HttpListener> {
  let closing = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handler = routes[`${req.method} ${path}`];
    const reply = (r: HttpReply) => {
      // While shutting down, ask the client to drop the socket so close() need not wait for keep-alive.
      if (closing) res.setHeader('connection', 'close');
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(r.body));
    };
    if (!handler) {
      const known = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
      return reply(known ? { status: 405, body: { error: `Method ${req.method} is not allowed on ${path}.` } } : { status: 404, body: { error: `No route ${path}.` } });
    }
    handler(req).then(reply, (error: unknown) => {
      logger.error({ err: error, route: `${req.method} ${path}` }, 'http handler failed');
      reply({ status: 500, body: { error: 'Internal error; the request can be retried.' } });
    });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        closing = true;
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive sockets with no request in flight would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}
