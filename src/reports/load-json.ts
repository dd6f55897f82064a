// Query results as ONE JSON array built by SQLite and parsed at once. At 100k members, handing rows
// one by one from SQLite to JavaScript costs several times more than SQLite's own work; a single
// string and JSON.parse cost a fraction of it.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

/** `rows` must be a subquery selecting one json_group_array(...) value (null when empty). */
export async function jsonRows<T>(db: Db, rows: RawBuilder<unknown>): Promise<T[]> {
  const { rows: [first] } = await sql<{ rows: string | null }>`select (${rows}) as rows`.execute(db);
  return JSON.parse(first?.rows ?? '[]') as T[];
}
