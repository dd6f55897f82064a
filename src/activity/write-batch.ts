// One flush: raw rows, their hourly rollups and the open voice sessions, in the caller's transaction.
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { rollupDeltas, type ActivityRow } from './rows.ts';

/** An open voice session to keep (row) or forget (null), by user id. */
export type VoiceWrites = ReadonlyMap<string, { channel_id: string; started_at: number; seen_at: number } | null>;

// Hand-written multi-row statements (cached per row count) instead of the query builder: this is
// the hot path, and building a 500-row insert through Kysely's AST costs more than SQLite's work.
const ROWS_PER_STATEMENT = 1_000;
const statements = new Map<string, string>();

function multiRow(head: string, columns: number, rows: number, tail = ''): string {
  const key = `${head}|${rows}`;
  let text = statements.get(key);
  if (!text) {
    const one = `(${new Array<string>(columns).fill('?').join(',')})`;
    text = `${head} values ${new Array<string>(rows).fill(one).join(',')}${tail}`;
    if (statements.size > 64) statements.clear();
    statements.set(key, text);
  }
  return text;
}

async function insertChunks<T>(trx: Transaction<Database>, head: string, columns: number, tail: string, items: readonly T[], params: (item: T, out: unknown[]) => void): Promise<void> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) {
    const chunk = items.slice(i, i + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    for (const item of chunk) params(item, values);
    await trx.executeQuery(CompiledQuery.raw(multiRow(head, columns, chunk.length, tail), values));
  }
}

const EVENTS = 'insert into activity_events (user_id, kind, at, channel_id, ref, ended_at)';
const ROLLUPS = 'insert into activity_hourly (hour, user_id, kind, count, voice_ms, first_at, last_at)';
// min()/max() of SQLite return null when either side is null: coalesce keeps the known side.
const ROLLUP_MERGE = ` on conflict (hour, user_id, kind) do update set
  count = count + excluded.count,
  voice_ms = voice_ms + excluded.voice_ms,
  first_at = min(coalesce(first_at, excluded.first_at), coalesce(excluded.first_at, first_at)),
  last_at = max(coalesce(last_at, excluded.last_at), coalesce(excluded.last_at, last_at))`;

/** `touch`: mark every open session seen at `at`, except restored ones not yet confirmed by the gateway. */
export interface VoiceTouch {
  at: number;
  except: readonly string[];
}

export async function writeActivityBatch(trx: Transaction<Database>, rows: readonly ActivityRow[], voice: VoiceWrites = new Map(), touch?: VoiceTouch): Promise<void> {
  await insertChunks(trx, EVENTS, 6, '', rows, (r, out) => out.push(r.user_id, r.kind, r.at, r.channel_id, r.ref, r.ended_at));
  await insertChunks(trx, ROLLUPS, 7, ROLLUP_MERGE, rollupDeltas(rows), (d, out) => out.push(d.hour, d.user_id, d.kind, d.count, d.voice_ms, d.first_at, d.last_at));
  for (const [userId, open] of voice) {
    if (open) {
      await trx
        .insertInto('voice_sessions_open')
        .values({ user_id: userId, ...open })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(open))
        .execute();
    } else {
      await trx.deleteFrom('voice_sessions_open').where('user_id', '=', userId).execute();
    }
  }
  if (touch) {
    let q = trx.updateTable('voice_sessions_open').set({ seen_at: touch.at }).where('seen_at', '<', touch.at);
    if (touch.except.length) q = q.where('user_id', 'not in', touch.except);
    await q.execute();
  }
}
