import type { Kysely } from 'kysely';
import type { Database, PointsSource } from '../db/schema.ts';

type Q = Kysely<Database>;

export interface Credit {
  memberId: string;
  amount: number;
  source: PointsSource;
  /** What earned it, e.g. `question:12:solve:40`; with source and member it is the idempotency key. */
  ref: string;
  at: number;
}

/** Credits once: a retry with the same (source, ref, member) is a no-op. Returns whether a row was added. */
export async function creditPoints(db: Q, credit: Credit): Promise<boolean> {
  if (credit.amount === 0) return false;
  const result = await db
    .insertInto('points')
    .values({ member_id: credit.memberId, amount: credit.amount, source: credit.source, ref: credit.ref, at: credit.at })
    .onConflict((oc) => oc.columns(['source', 'ref', 'member_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Reverses every credit of (source, ref) with a negative row under `ref:reversed`, so the ledger keeps
 * its history. Reversing twice is a no-op. Returns the number of reversal rows added.
 */
export async function reversePoints(db: Q, source: PointsSource, ref: string, at: number): Promise<number> {
  const credits = await db.selectFrom('points').select(['member_id', 'amount']).where('source', '=', source).where('ref', '=', ref).execute();
  let added = 0;
  for (const c of credits) {
    if (await creditPoints(db, { memberId: c.member_id, amount: -c.amount, source, ref: `${ref}:reversed`, at })) added++;
  }
  return added;
}

/**
 * Reverses every credit of `source` whose ref starts with `prefix` (e.g. all rating points of one
 * post: `post:4:rating:`), skipping reversal rows themselves. Idempotent like reversePoints.
 */
export async function reversePointsByPrefix(db: Q, source: PointsSource, prefix: string, at: number): Promise<number> {
  const refs = await db
    .selectFrom('points')
    .select('ref')
    .distinct()
    .where('source', '=', source)
    .where('ref', '>=', prefix)
    .where('ref', '<', `${prefix}\uffff`)
    .where('ref', 'not like', '%:reversed')
    .execute();
  let added = 0;
  for (const { ref } of refs) added += await reversePoints(db, source, ref, at);
  return added;
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
