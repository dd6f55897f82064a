// A real migrated SQLite file whose every statement is logged, so tests can count transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { createLogger } from '../../src/logging/logger.ts';

export interface LoggedDb {
  db: Db;
  sqlite: SQLite.Database;
  /** Every statement since the last `reset()`: its SQL and parameter count. */
  statements: { sql: string; params: number }[];
  reset(): void;
  cleanup(): Promise<void>;
}

export async function loggedDatabase(): Promise<LoggedDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-activity-'));
  const sqlite = new SQLite(path.join(dir, 'activity.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  const statements: { sql: string; params: number }[] = [];
  const db: Db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    // Failed statements are logged too (level 'error'): only the ones that ran count.
    log: (e) => void (e.level === 'query' && statements.push({ sql: e.query.sql.trim().toLowerCase(), params: e.query.parameters.length })),
  });
  await migrate(db);
  statements.length = 0;
  return {
    db,
    sqlite,
    statements,
    reset: () => void (statements.length = 0),
    async cleanup() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Transactions among the logged statements: what each inserted (rows per table). */
export function transactions(statements: readonly { sql: string; params: number }[]): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  let current: Record<string, number> | undefined;
  for (const s of statements) {
    if (s.sql === 'begin') current = {};
    else if (s.sql === 'commit' || s.sql === 'rollback') {
      if (current) out.push({ ...current, [s.sql]: 1 });
      current = undefined;
    } else if (current && s.sql.startsWith('insert into activity_events')) current.events = (current.events ?? 0) + s.params / 6;
    else if (current && s.sql.startsWith('insert into activity_hourly')) current.rollups = (current.rollups ?? 0) + s.params / 7;
  }
  return out;
}

export const quietLogger = () => createLogger({ level: 'silent', secrets: [], pretty: false });
