// The weekly digest's claim table (issue 7); merged into Database in schema.ts.

export type DigestStatus = 'queued' | 'baseline';

/** One row per digest week, keyed by its scheduled instant: the row is the exactly-once claim. */
export interface DigestsTable {
  /** The scheduled instant (the DIGEST_CRON fire time), UTC ms: the week is [as_of − 7d, as_of). */
  as_of: number;
  /** queued: the message is in the outbox; baseline: the first start, for a week before Guildhall ran. */
  status: DigestStatus;
  /** The outbox dedupe key of the message, null for a baseline. */
  dedupe_key: string | null;
  /** The DigestJson that was sent, null for a baseline. */
  json: string | null;
  created_at: number;
}

export interface DigestTables {
  digests: DigestsTable;
}
