import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { creditPoints, type Credit } from '../qa/points.ts';
import { startOfZonedDay } from '../zoned-time.ts';
import type { ReputationSetup } from './reputation-config.ts';

type Q = Kysely<Database>;

/**
 * Credits points within the source's daily cap (the local day of `credit.at` in `timeZone`).
 * Only what fits is credited; the rest is dropped, not carried over. Reversals do not free the
 * cap again, so earning, losing and re-earning cannot beat it. Returns the amount credited.
 */
export async function awardPoints(db: Q, reputation: ReputationSetup, timeZone: string, credit: Credit): Promise<number> {
  const cap = reputation.dailyCaps[credit.source];
  let amount = credit.amount;
  if (amount > 0 && cap !== null) {
    const dayStart = startOfZonedDay(credit.at, timeZone);
    const row = await db
      .selectFrom('points')
      .select((eb) => eb.fn.sum<number | null>('amount').as('earned'))
      .where('member_id', '=', credit.memberId)
      .where('source', '=', credit.source)
      .where('amount', '>', 0)
      .where('at', '>=', dayStart)
      .where('at', '<', startOfZonedDay(dayStart + 30 * 3_600_000, timeZone))
      .executeTakeFirst();
    amount = Math.min(amount, Math.max(0, cap - Number(row?.earned ?? 0)));
  }
  if (amount === 0) return 0;
  return (await creditPoints(db, { ...credit, amount })) ? amount : 0;
}
