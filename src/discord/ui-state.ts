import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

/**
 * State behind a button, select menu or modal that does not fit in a 100-character custom_id
 * (a draft, a list of choices). Stored in SQLite so the component still works after a restart;
 * the custom_id carries only `<prefix>:<id>`.
 */
export interface UiState<T> {
  id: string;
  kind: string;
  ownerId: string | null;
  payload: T;
}

export async function saveUiState<T>(
  db: Db,
  input: { kind: string; ownerId?: string; payload: T; now: number; ttlMs?: number },
): Promise<string> {
  const id = randomBytes(9).toString('base64url');
  await db
    .insertInto('ui_state')
    .values({
      id,
      kind: input.kind,
      owner_id: input.ownerId ?? null,
      payload: JSON.stringify(input.payload),
      created_at: input.now,
      expires_at: input.ttlMs === undefined ? null : input.now + input.ttlMs,
    })
    .execute();
  return id;
}

/** Undefined when the id is unknown, of another kind, or expired: callers answer "expired". */
export async function loadUiState<T>(db: Db, id: string, kind: string, now: number): Promise<UiState<T> | undefined> {
  const row = await db.selectFrom('ui_state').selectAll().where('id', '=', id).where('kind', '=', kind).executeTakeFirst();
  if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  return { id: row.id, kind: row.kind, ownerId: row.owner_id, payload: JSON.parse(row.payload) as T };
}

export async function deleteUiState(db: Db, id: string): Promise<void> {
  await db.deleteFrom('ui_state').where('id', '=', id).execute();
}

/** Run by a scheduled job; returns how many expired rows went. */
export async function pruneUiState(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('ui_state').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Builds a custom_id and fails loudly in development if it would be rejected by Discord. */
export function customId(prefix: string, rest = ''): string {
  const id = rest ? `${prefix}:${rest}` : prefix;
  if (id.length > 100) throw new Error(`custom_id "${id.slice(0, 40)}…" is longer than Discord's 100 characters`);
  return id;
}
