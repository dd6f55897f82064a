import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { HttpReply } from './server.ts';

/** 200 only when both the database answers and the gateway is ready; process managers and load balancers read this. */
export async function healthz(db: Db, gatewayReady: () => boolean): Promise<HttpReply> {
  let database: 'ok' | 'error' = 'ok';
  try {
    await sql`select 1`.execute(db);
  } catch {
    database = 'error';
  }
  const gateway = gatewayReady() ? 'ready' : 'not_ready';
  const ok = database === 'ok' && gateway === 'ready';
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', database, gateway } };
}
