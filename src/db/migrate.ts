import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Kysely's FileMigrationProvider, but importing from our own module so that tsx and vitest
 * (which only transform TypeScript imported from project code) can load the .ts files.
 */
const fileProvider: MigrationProvider = {
  async getMigrations() {
    const migrations: Record<string, Migration> = {};
    for (const file of (await readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))) {
      migrations[file.replace(/\.(ts|js)$/, '')] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration;
    }
    return migrations;
  },
};

function migratorFor(db: Db): Migrator {
  return new Migrator({ db, provider: fileProvider });
}

export type MigrationDirection = 'latest' | 'down' | 'all-down';

/** Runs migrations and throws, naming the failing migration, when one fails. */
export async function migrate(db: Db, direction: MigrationDirection = 'latest'): Promise<string[]> {
  const migrator = migratorFor(db);
  const applied: string[] = [];
  const run = async (step: () => Promise<MigrationResultSet>) => {
    const { error, results } = await step();
    for (const r of results ?? []) {
      if (r.status === 'Error') throw new Error(`Migration ${r.migrationName} (${r.direction}) failed: ${String(error)}`, { cause: error });
      if (r.status === 'Success') applied.push(`${r.direction === 'Up' ? 'up' : 'down'} ${r.migrationName}`);
    }
    if (error) throw new Error(`Migrations failed: ${String(error)}`, { cause: error });
    return results ?? [];
  };
  if (direction === 'latest') await run(() => migrator.migrateToLatest());
  else if (direction === 'down') await run(() => migrator.migrateDown());
  else while ((await run(() => migrator.migrateDown())).length > 0);
  return applied;
}
