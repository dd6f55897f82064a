// One flush: raw rows, their hourly and member-day rollups and the open voice sessions, in ONE
// transaction. better-sqlite3 statements prepared once per connection and run row by row: this is
// the hot path, and compiling a statement per flush (as any query through Kysely does) cost more
// than SQLite's own work (bench/capture.ts). The caller holds the connection (withSqlite).
import type SQLite from 'better-sqlite3';
import { memberDayDeltas, rollupDeltas, type ActivityRow } from './rows.ts';

/** An open voice session to keep (row) or forget (null), by user id. */
export type VoiceWrites = ReadonlyMap<string, { channel_id: string; started_at: number; seen_at: number } | null>;

/** `touch`: mark every open session seen at `at`, except restored ones not yet confirmed by the gateway. */
export interface VoiceTouch {
  at: number;
  except: readonly string[];
}

function prepareStatements(sqlite: SQLite.Database) {
  return {
    event: sqlite.prepare('insert into activity_events (user_id, kind, at, channel_id, ref, ended_at) values (?, ?, ?, ?, ?, ?)'),
    // min()/max() of SQLite return null when either side is null: coalesce keeps the known side.
    rollup: sqlite.prepare(`insert into activity_hourly (hour, user_id, kind, count, voice_ms, first_at, last_at) values (?, ?, ?, ?, ?, ?, ?)
      on conflict (hour, user_id, kind) do update set
        count = count + excluded.count,
        voice_ms = voice_ms + excluded.voice_ms,
        first_at = min(coalesce(first_at, excluded.first_at), coalesce(excluded.first_at, first_at)),
        last_at = max(coalesce(last_at, excluded.last_at), coalesce(excluded.last_at, last_at))`),
    memberDay: sqlite.prepare(`insert into activity_member_days (day, user_id, first_at, last_at) values (?, ?, ?, ?)
      on conflict (user_id, day) do update set first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`),
    keepVoice: sqlite.prepare(`insert into voice_sessions_open (user_id, channel_id, started_at, seen_at) values (?, ?, ?, ?)
      on conflict (user_id) do update set channel_id = excluded.channel_id, started_at = excluded.started_at, seen_at = excluded.seen_at`),
    forgetVoice: sqlite.prepare('delete from voice_sessions_open where user_id = ?'),
    touchVoice: sqlite.prepare('update voice_sessions_open set seen_at = ? where seen_at < ? and user_id not in (select value from json_each(?))'),
  };
}

const prepared = new WeakMap<SQLite.Database, ReturnType<typeof prepareStatements>>();

function statementsFor(sqlite: SQLite.Database): ReturnType<typeof prepareStatements> {
  let statements = prepared.get(sqlite);
  if (!statements) prepared.set(sqlite, (statements = prepareStatements(sqlite)));
  return statements;
}

export function writeActivityBatch(sqlite: SQLite.Database, rows: readonly ActivityRow[], voice: VoiceWrites = new Map(), touch?: VoiceTouch): void {
  const statements = statementsFor(sqlite);
  sqlite.transaction(() => {
    for (const r of rows) statements.event.run(r.user_id, r.kind, r.at, r.channel_id, r.ref, r.ended_at);
    const hourly = rollupDeltas(rows);
    for (const d of hourly) statements.rollup.run(d.hour, d.user_id, d.kind, d.count, d.voice_ms, d.first_at, d.last_at);
    for (const d of memberDayDeltas(hourly)) statements.memberDay.run(d.day, d.user_id, d.first_at, d.last_at);
    for (const [userId, open] of voice) {
      if (open) statements.keepVoice.run(userId, open.channel_id, open.started_at, open.seen_at);
      else statements.forgetVoice.run(userId);
    }
    if (touch) statements.touchVoice.run(touch.at, touch.at, JSON.stringify(touch.except));
  })();
}
