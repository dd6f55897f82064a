import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export interface TestDatabase {
  db: Db;
  path: string;
  cleanup(): Promise<void>;
}

/** A fresh file-backed SQLite database (WAL needs a file) with the real migrations applied. */
export async function freshDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-db-'));
  const file = path.join(dir, 'test.sqlite');
  const db = openDatabase(file);
  if (options.migrated !== false) await migrate(db);
  return {
    db,
    path: file,
    async cleanup() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
