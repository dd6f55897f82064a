// A real migrated SQLite file whose every statement is logged (better-sqlite3's `verbose`: Kysely's
// queries and the capture's prepared statements alike), so tests can count transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { kyselyOver, type Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/logging/logger.ts';

export interface LoggedDb {
  db: Db;
  sqlite: SQLite.Database;
  /** Every statement that ran since the last `reset()`, lowercased, parameters expanded. */
  statements: string[];
  reset(): void;
  cleanup(): Promise<void>;
}

export async function loggedDatabase(): Promise<LoggedDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-activity-'));
  const statements: string[] = [];
  const sqlite = new SQLite(path.join(dir, 'activity.sqlite'), { verbose: (text) => void statements.push(String(text).trim().toLowerCase()) });
  sqlite.pragma('journal_mode = WAL');
  const db: Db = kyselyOver(sqlite);
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
export function transactions(statements: readonly string[]): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  let current: Record<string, number> | undefined;
  for (const s of statements) {
    if (s === 'begin') current = {};
    else if (s === 'commit' || s === 'rollback') {
      if (current) out.push({ ...current, [s]: 1 });
      current = undefined;
    } else if (current && s.startsWith('insert into activity_events')) current.events = (current.events ?? 0) + 1;
    else if (current && s.startsWith('insert into activity_hourly')) current.rollups = (current.rollups ?? 0) + 1;
    else if (current && s.startsWith('insert into activity_member_days')) current.memberDays = (current.memberDays ?? 0) + 1;
  }
  return out;
}

export const quietLogger = () => createLogger({ level: 'silent', secrets: [], pretty: false });
