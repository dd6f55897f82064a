import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** The better-sqlite3 handle under each Db made here (see withSqlite). */
const handles = new WeakMap<Db, SQLite.Database>();

/** A Db over an open better-sqlite3 handle (openDatabase's settings are the caller's to apply). */
export function kyselyOver(sqlite: SQLite.Database): Db {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  handles.set(db, sqlite);
  return db;
}

/** The file under `db`, or null for an in-memory database (a Db not made here throws). */
export function databaseFile(db: Db): string | null {
  const sqlite = handles.get(db);
  if (!sqlite) throw new Error('databaseFile: this Db was not made by openDatabase or kyselyOver');
  return sqlite.memory ? null : sqlite.name;
}

/**
 * Runs `work` on the better-sqlite3 handle under `db` while holding Kysely's single connection, so
 * no Kysely query or transaction can interleave with it. For the one hot path that needs prepared
 * statements kept across calls (Kysely compiles every statement anew): the activity capture's
 * flush. Never call it from inside a Kysely transaction of the same db: it would wait for itself.
 */
export async function withSqlite<T>(db: Db, work: (sqlite: SQLite.Database) => T): Promise<T> {
  const sqlite = handles.get(db);
  if (!sqlite) throw new Error('withSqlite: this Db was not made by openDatabase or kyselyOver');
  return db.connection().execute(async () => work(sqlite));
}

/**
 * Opens the SQLite file with the settings every writer relies on:
 * WAL so readers never block the writer, foreign keys enforced, and a busy timeout so a
 * concurrent `npm run migrate` waits instead of failing with SQLITE_BUSY.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return kyselyOver(sqlite);
}
