import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createActivityCapture } from '../src/activity/capture.ts';
import { messageEvent } from '../src/activity/gateway-events.ts';
import { toRow, type ActivityRow } from '../src/activity/rows.ts';
import { noActivity, type ActivityInput, type ActivitySink } from '../src/activity/sink.ts';
import { kyselyOver, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logging/logger.ts';
import { figure, type Figure } from './figures.ts';

/**
 * Activity capture: events/s through the real path (record() -> buffer -> one transaction per 500
 * with the hourly and member-day rollups -> SQLite, WAL) against the ceiling, a raw better-sqlite3
 * insert of the same rows in transactions of 500 (prepared statement, no rollups), on identical
 * fresh files.
 * And the gateway handler's cost per MESSAGE_CREATE (parse + record()), p99, against the same
 * handler with a sink that does nothing. Goals: >= 0.5x the ceiling; p99 handler < 1 ms.
 */
export async function benchCapture(n = Number(process.env.BENCH_CAPTURE_N ?? 200_000), rounds = 3): Promise<Figure[]> {
  const events = syntheticEvents(n);
  const rows = events.map((e) => toRow(e)!);
  const payloads = events.filter((e) => e.kind === 'message').slice(0, 50_000).map(messagePayload);
  const capture: number[] = [];
  const ceiling: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ceiling.push(await withDb((_db, sqlite) => rawInsert(sqlite, rows)));
    capture.push(await withDb((db) => capturePath(db, events)));
  }
  const handler = await withDb((db) => handlerTimes(db, payloads));
  const noop = handlerTimesWith(noActivity, payloads);
  const perSecond = (ms: number[]) => ms.map((t) => (n / t) * 1000);
  return [
    figure('capture.events_per_s', perSecond(capture), 'events/s', `raw better-sqlite3 insert of the same ${n} rows, 500 per transaction (ceiling)`, perSecond(ceiling)),
    pct('capture.handler_p99', handler, 99, 'same handler, sink that does nothing', noop),
  ];
}

async function withDb<T>(run: (db: Db, sqlite: SQLite.Database) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-capture-'));
  const sqlite = new SQLite(path.join(dir, 'bench.sqlite'));
  // The app's settings (src/db/database.ts).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = kyselyOver(sqlite);
  try {
    await migrate(db);
    return await run(db, sqlite);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rawInsert(sqlite: SQLite.Database, rows: readonly ActivityRow[]): number {
  const t0 = performance.now();
  const insert = sqlite.prepare('insert into activity_events (user_id, kind, at, channel_id, ref, ended_at) values (?, ?, ?, ?, ?, ?)');
  const batch = sqlite.transaction((chunk: readonly ActivityRow[]) => {
    for (const r of chunk) insert.run(r.user_id, r.kind, r.at, r.channel_id, r.ref, r.ended_at);
  });
  for (let i = 0; i < rows.length; i += 500) batch(rows.slice(i, i + 500));
  return performance.now() - t0;
}

const silent = createLogger({ level: 'silent', secrets: [], pretty: false });

/** As the gateway delivers them: bursts of 100 events, the event loop free between bursts. */
async function capturePath(db: Db, events: readonly ActivityInput[]): Promise<number> {
  const t0 = performance.now();
  const capture = createActivityCapture({ db, clock: { now: () => Date.now() }, logger: silent });
  for (let i = 0; i < events.length; i += 100) {
    for (let j = i; j < Math.min(i + 100, events.length); j++) capture.record(events[j]!);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await capture.stop();
  return performance.now() - t0;
}

async function handlerTimes(db: Db, payloads: readonly object[]): Promise<number[]> {
  const capture = createActivityCapture({ db, clock: { now: () => Date.now() }, logger: silent });
  const times: number[] = [];
  for (let i = 0; i < payloads.length; i += 100) {
    times.push(...handlerTimesWith(capture, payloads.slice(i, i + 100)));
    // Flushes run between bursts, as they would between gateway packets.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await capture.stop();
  return times;
}

function handlerTimesWith(sink: ActivitySink, payloads: readonly object[]): number[] {
  return payloads.map((p) => {
    const t0 = performance.now();
    const e = messageEvent(p, GUILD);
    if (e) sink.record(e);
    return performance.now() - t0;
  });
}

function pct(name: string, values: number[], p: number, baselineName: string, baseline: number[]): Figure {
  const at = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { figure: name, value: r(at(values)), unit: 'ms', baseline: { name: baselineName, value: r(at(baseline)) }, ratio: r(at(values) / at(baseline)), samples: values.length };
}

// ---- A week of a 10k-member community, in arrival order. Chat is conversational: a handful of
// members talk at a time (a pool of 12 that slowly rotates), a few members talk most (skewed pick).
// Mostly messages, some reactions, commands and voice sessions (1-90 min).
const GUILD = '1300000000000000100';
const CHANNELS = Array.from({ length: 40 }, (_, i) => `13000000000000004${String(i).padStart(2, '0')}`);

function syntheticEvents(n: number): ActivityInput[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = Date.UTC(2026, 10, 16);
  const step = (7 * 86_400_000) / n;
  const talking: string[] = [];
  return Array.from({ length: n }, (_, i) => {
    if (talking.length < 12 || rnd() < 0.05) {
      talking.push(`1400000000000${String(Math.floor(10_000 * rnd() ** 2)).padStart(6, '0')}`);
      if (talking.length > 12) talking.shift();
    }
    const userId = talking[Math.floor(rnd() * talking.length)]!;
    const at = Math.floor(start + i * step);
    const channelId = CHANNELS[Math.floor(rnd() * CHANNELS.length)]!;
    const roll = rnd();
    if (roll < 0.7) return { userId, kind: 'message', at, channelId };
    if (roll < 0.9) return { userId, kind: 'reaction', at, channelId };
    if (roll < 0.97) return { userId, kind: 'command', at, channelId, ref: 'command:ask' };
    const minutes = 1 + Math.floor(rnd() * 90);
    return { userId, kind: 'voice', at, channelId, endAt: at + minutes * 60_000, minutes };
  });
}

/** A MESSAGE_CREATE as the gateway sends it (content included, as with the MessageContent intent). */
function messagePayload(e: ActivityInput): object {
  const id = String((BigInt(e.at - 1_420_070_400_000) << 22n) | BigInt(Math.floor(Math.random() * 4096)));
  return {
    id, type: 0, channel_id: e.channelId, guild_id: GUILD, content: 'a message of ordinary length, which capture never reads', tts: false, mention_everyone: false, mentions: [], mention_roles: [],
    attachments: [], embeds: [], pinned: false, timestamp: new Date(e.at).toISOString(), edited_timestamp: null, flags: 0, components: [],
    author: { id: e.userId, username: 'member', discriminator: '0', global_name: 'Member', avatar: null, public_flags: 0 },
    member: { roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.ts');
  printTable(await benchCapture());
}
