import type { Kysely } from 'kysely';
import type { Database, PointsSource } from '../db/schema.ts';
import { applyToRollup, REVERSED } from './points-rollup.ts';

type Q = Kysely<Database>;

/** Runs `work` in the caller's transaction, or in a new one: a ledger row and its rollup land together. */
function inTransaction<T>(db: Q, work: (trx: Q) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export interface Credit {
  memberId: string;
  amount: number;
  source: PointsSource;
  /** What earned it, e.g. `question:12:solve:40`; with source and member it is the idempotency key. */
  ref: string;
  at: number;
}

/**
 * Credits once: a retry with the same (source, ref, member) is a no-op. Returns whether a row was added.
 * The leaderboard rollup is updated in the same transaction (the caller's, or one of its own).
 */
export async function creditPoints(db: Q, credit: Credit): Promise<boolean> {
  if (credit.amount === 0) return false;
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('points')
      .values({ member_id: credit.memberId, amount: credit.amount, source: credit.source, ref: credit.ref, at: credit.at })
      .onConflict((oc) => oc.columns(['source', 'ref', 'member_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await applyToRollup(trx, { id: inserted.id, ...credit });
    return true;
  });
}

/**
 * Reverses every credit of (source, ref) with a negative row under `ref:reversed`, so the ledger keeps
 * its history. Reversing twice is a no-op. Returns the number of reversal rows added.
 */
export async function reversePoints(db: Q, source: PointsSource, ref: string, at: number): Promise<number> {
  // Re-crediting takes a fresh ref, never a reversal of a reversal (its month would be ambiguous).
  if (ref.endsWith(REVERSED)) throw new Error(`reversePoints: ${ref} is itself a reversal; credit again under a fresh ref instead`);
  return inTransaction(db, async (trx) => {
    const credits = await trx.selectFrom('points').select(['member_id', 'amount']).where('source', '=', source).where('ref', '=', ref).execute();
    let added = 0;
    for (const c of credits) {
      if (await creditPoints(trx, { memberId: c.member_id, amount: -c.amount, source, ref: `${ref}${REVERSED}`, at })) added++;
    }
    return added;
  });
}

/**
 * Reverses every credit of `source` whose ref starts with `prefix` (e.g. all rating points of one
 * post: `post:4:rating:`), skipping reversal rows themselves. Idempotent like reversePoints.
 */
export async function reversePointsByPrefix(db: Q, source: PointsSource, prefix: string, at: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    const refs = await trx
      .selectFrom('points')
      .select('ref')
      .distinct()
      .where('source', '=', source)
      .where('ref', '>=', prefix)
      .where('ref', '<', `${prefix}\uffff`)
      .where('ref', 'not like', `%${REVERSED}`)
      .execute();
    let added = 0;
    for (const { ref } of refs) added += await reversePoints(trx, source, ref, at);
    return added;
  });
}

/** A member's balance across every source. */
export async function pointsOf(db: Q, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('points')
    .select((eb) => eb.fn.sum<number | null>('amount').as('total'))
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}
