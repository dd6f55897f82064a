import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { StripeEventsTable } from '../db/schema.ts';

interface Pending {
  row: Insertable<StripeEventsTable>;
  resolve(duplicate: boolean): void;
  reject(error: unknown): void;
}

/**
 * Records verified Stripe events, committing the requests that arrive together in one
 * transaction (group commit): each caller still learns its event is durable before it answers
 * 2xx, but a burst of webhooks costs one commit instead of one each.
 */
export function createEventInbox(db: Db): { record(row: Insertable<StripeEventsTable>): Promise<{ duplicate: boolean }> } {
  let queue: Pending[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      const inserted = await db.transaction().execute(async (trx) => {
        const counts: number[] = [];
        for (const { row } of batch) {
          const result = await trx.insertInto('stripe_events').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
          counts.push(Number(result.numInsertedOrUpdatedRows ?? 0n));
        }
        return counts;
      });
      batch.forEach((p, i) => p.resolve(inserted[i] === 0));
    } catch (error) {
      // Nothing of the batch was committed: every sender gets a 5xx and Stripe retries each.
      for (const p of batch) p.reject(error);
    }
  };
  return {
    record(row) {
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (queue.length === 1) setImmediate(() => void flush());
      }).then((duplicate) => ({ duplicate: duplicate as boolean }));
    },
  };
}
