import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { UserError } from '../discord/user-error.ts';
import type { QaSetup } from './qa-config.ts';

const HOUR = 3_600_000;

/**
 * Pure: given the creation times of the member's questions inside the window (oldest first), when
 * they may ask again, or null when they may now. With `limit` allowed, the question at index
 * `count - limit` is the one whose leaving the window frees a slot.
 */
export function nextAskAt(createdInWindow: readonly number[], rate: QaSetup['rateLimit']): number | null {
  if (createdInWindow.length < rate.questions) return null;
  return createdInWindow[createdInWindow.length - rate.questions]! + rate.perHours * HOUR;
}

/**
 * Throws rate_limited when the member asked `questions` times in the last `perHours`. Counts
 * question rows (posted or being posted): a failed post deletes its row, so it does not count.
 * Run it inside the transaction that creates the question so two drafts posted at once cannot
 * both slip under the limit (SQLite runs one write transaction at a time).
 */
export async function checkAskRate(db: Kysely<Database>, askerId: string, rate: QaSetup['rateLimit'], now: number): Promise<void> {
  const rows = await db
    .selectFrom('questions')
    .select('created_at')
    .where('asker_id', '=', askerId)
    .where('created_at', '>', now - rate.perHours * HOUR)
    .orderBy('created_at', 'asc')
    .execute();
  const at = nextAskAt(rows.map((r) => r.created_at), rate);
  if (at !== null) throw new UserError('rate_limited', `You can ask again <t:${Math.ceil(at / 1000)}:R>.`);
}
