import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { healthz } from '../../src/http/healthz.ts';
import { startHttpServer, type HttpListener } from '../../src/http/server.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const silent = createLogger({ level: 'silent', secrets: [], destination: new Writable({ write: (_c, _e, cb) => cb() }) });

describe('GET /healthz on the real listener', () => {
  let t: TestDatabase | undefined;
  let http: HttpListener | undefined;
  afterEach(async () => {
    await http?.close();
    await t?.cleanup().catch(() => undefined);
    http = t = undefined;
  });

  async function serve(gatewayReady: () => boolean) {
    t = await freshDatabase();
    const db = t.db;
    http = await startHttpServer({ 'GET /healthz': () => healthz(db, gatewayReady) }, 0, silent);
    return `http://127.0.0.1:${http.port}`;
  }

  it('answers 200 when the database answers and the gateway is ready', async () => {
    const base = await serve(() => true);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok', gateway: 'ready' });
  });

  it('answers 503 while the gateway is not ready', async () => {
    const base = await serve(() => false);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', database: 'ok', gateway: 'not_ready' });
  });

  it('answers 503 when the database does not answer', async () => {
    const base = await serve(() => true);
    await t!.db.destroy();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: 'error' });
  });

  it('answers 404 for unknown paths and 405 for a wrong method, as JSON', async () => {
    const base = await serve(() => true);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'No route /nope.' });
    const wrong = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(wrong.status).toBe(405);
  });

  it('lets an in-flight request finish when closing', async () => {
    t = await freshDatabase();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    http = await startHttpServer({ 'GET /slow': async () => (await gate, { status: 200, body: { done: true } }) }, 0, silent);
    const pending = fetch(`http://127.0.0.1:${http.port}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closed = http.close();
    release();
    const res = await pending;
    expect(await res.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`http://127.0.0.1:${http.port}/slow`)).rejects.toThrow();
    http = undefined;
  });
});
