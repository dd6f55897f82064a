import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { deleteUiState, loadUiState, saveUiState } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import type { Draft } from './ask-modal.ts';

/**
 * A question between the modal and its thread, in ui_state (kind 'qa-draft', one hour): the select
 * menu and the "Post anyway" button carry only its id, so both still work after a restart.
 */
export const DRAFT_KIND = 'qa-draft';
export const DRAFT_TTL_MS = 3_600_000;
/** A claim older than this was left by a crash mid-post: the draft may be posted again. */
const CLAIM_TTL_MS = 120_000;

export interface DraftState extends Draft {
  /** Set once the member picked them. */
  topics?: string[];
}

export function saveDraft(db: Db, ownerId: string, draft: Draft, now: number): Promise<string> {
  return saveUiState<DraftState>(db, { kind: DRAFT_KIND, ownerId, payload: draft, now, ttlMs: DRAFT_TTL_MS });
}

/** The member's own draft, or a refusal that says what to do. */
export async function loadDraft(db: Db, id: string, userId: string, now: number): Promise<DraftState> {
  const state = await loadUiState<DraftState>(db, id, DRAFT_KIND, now);
  if (!state) throw new UserError('expired', 'Drafts last an hour: run /ask again.');
  if (state.ownerId !== userId) throw new UserError('forbidden', 'This draft belongs to someone else; run /ask for your own question.');
  return state.payload;
}

/** Keeps the chosen topics with the draft, for the "Post anyway" button (ui-state.ts has no update). */
export async function setDraftTopics(db: Db, id: string, draft: DraftState, topics: string[]): Promise<void> {
  await db.updateTable('ui_state').set({ payload: JSON.stringify({ ...draft, topics }) }).where('id', '=', id).where('kind', '=', DRAFT_KIND).execute();
}

/**
 * One post per draft: a double click, or the select and "Post anyway" racing, would otherwise
 * create two threads. The conditional UPDATE is atomic, so exactly one caller wins.
 */
export async function claimDraft(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('ui_state')
    .set({ payload: sql<string>`json_set(payload, '$.postingAt', ${now})` })
    .where('id', '=', id)
    .where('kind', '=', DRAFT_KIND)
    .where((eb) => eb.or([eb(sql`json_extract(payload, '$.postingAt')`, 'is', null), eb(sql`json_extract(payload, '$.postingAt')`, '<', now - CLAIM_TTL_MS)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** After a failed post: the member may try again with the same draft. */
export async function releaseDraft(db: Db, id: string): Promise<void> {
  await db.updateTable('ui_state').set({ payload: sql<string>`json_remove(payload, '$.postingAt')` }).where('id', '=', id).execute();
}

/** Posted: the draft's buttons now answer "expired". */
export const dropDraft = deleteUiState;
