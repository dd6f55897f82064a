import { sql } from 'kysely';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const tables = async (t: TestDatabase) =>
  (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(t.db)).rows.map((r) => r.name);

describe('migrations', () => {
  let t: TestDatabase;
  afterEach(() => t?.cleanup());

  it('run up all, down all, then up all again on a fresh file', async () => {
    t = await freshDatabase({ migrated: false });
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts'));
    const up = await migrate(t.db, 'latest');
    expect(up).toHaveLength(files.length);
    const after = await tables(t);
    expect(after).toEqual(expect.arrayContaining(['stripe_events', 'ui_state']));

    const down = await migrate(t.db, 'all-down');
    expect(down).toHaveLength(files.length);
    expect(await tables(t)).toEqual([]);

    await migrate(t.db, 'latest');
    expect(await tables(t)).toEqual(after);
    expect(await migrate(t.db, 'latest')).toEqual([]);
  });

  it('steps down exactly one migration with "down"', async () => {
    t = await freshDatabase();
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).sort();
    const down = await migrate(t.db, 'down');
    expect(down).toEqual([`down ${files.at(-1)!.replace(/\.ts$/, '')}`]);
  });

  it('names follow YYYY_MM_DD_HHMMSS_verb_noun', () => {
    for (const file of readdirSync(MIGRATIONS_DIR)) expect(file).toMatch(/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z]+(_[a-z0-9]+)+\.ts$/);
  });

  it('opens with WAL, foreign keys and a busy timeout', async () => {
    t = await freshDatabase();
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(t.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });
});
