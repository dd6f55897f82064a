// The side reader: a worker thread with its own read-only connection, answering exactly as the
// bot's connection does. Real SQLite files with the real migrations.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { connectionReader, openSideReader, type Reader } from '../../src/db/side-reader.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const grants = sql<{ discord_user_id: string; tier_name: string; until: number | null }>`select discord_user_id, tier_name, until from grants order by id`;

describe('openSideReader', () => {
  let t: TestDatabase;
  let side: Reader;
  beforeEach(async () => {
    t = await freshDatabase();
    for (const [user, until] of [['1300000000000000001', null], ['1300000000000000002', 1_800_000_000_000]] as const) {
      await t.db.insertInto('grants').values({ discord_user_id: user, tier_name: 'Pro', created_at: 1_700_000_000_000, until, granted_by: '1300000000000000009', reason: 'test' }).execute();
    }
    side = openSideReader(t.db);
  });
  afterEach(async () => {
    await side.close();
    await t.cleanup();
  });

  it('gives the rows the connection gives, statements answered in order, parameters bound alike', async () => {
    const byUntil = (until: number) => sql<{ n: number }>`select count(*) as n from grants where until < ${until}`;
    const [a, b, c] = await Promise.all([side.read(grants), side.read(byUntil(1_900_000_000_000)), side.read(byUntil(1_800_000_000_000))]);
    expect(a).toEqual(await connectionReader(t.db).read(grants));
    expect(a).toEqual([
      { discord_user_id: '1300000000000000001', tier_name: 'Pro', until: null },
      { discord_user_id: '1300000000000000002', tier_name: 'Pro', until: 1_800_000_000_000 },
    ]);
    expect([b, c]).toEqual([[{ n: 1 }], [{ n: 0 }]]);
  });

  it('sees what the bot committed before each read', async () => {
    expect(await side.read(grants)).toHaveLength(2);
    await t.db.deleteFrom('grants').execute();
    expect(await side.read(grants)).toEqual([]);
  });

  it('rejects a failing statement with SQLite’s reason and goes on reading; it cannot write', async () => {
    await expect(side.read(sql`select * from no_such_table`)).rejects.toThrow(/side reader: no such table: no_such_table/);
    await expect(side.read(sql`delete from grants returning id`)).rejects.toThrow(/readonly database/);
    expect(await side.read(grants)).toHaveLength(2);
  });

  it('answers every read given before close, and refuses reads after it', async () => {
    const pending = side.read(grants);
    await side.close();
    expect(await pending).toHaveLength(2);
    await expect(side.read(grants)).rejects.toThrow(/side reader: the worker stopped/);
  });
});

describe('openSideReader over an in-memory database', () => {
  it('reads on the database itself: there is no file for a second connection', async () => {
    const db = openDatabase(':memory:');
    await migrate(db);
    await db.insertInto('grants').values({ discord_user_id: '1300000000000000001', tier_name: 'Pro', created_at: 1, until: null, granted_by: '1300000000000000009', reason: 'test' }).execute();
    const side = openSideReader(db);
    expect(await side.read(grants)).toEqual([{ discord_user_id: '1300000000000000001', tier_name: 'Pro', until: null }]);
    await side.close();
    await db.destroy();
  });
});
