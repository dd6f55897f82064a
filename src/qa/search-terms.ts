import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database>;

/** How many of a word's newest matches are looked at to judge how common it is. */
export const SAMPLE_MATCHES = 500;

const phrase = (token: string) => `"${token.replaceAll('"', '""')}"`;

/**
 * The share of solved questions containing `token`, estimated from its newest SAMPLE_MATCHES matches
 * (exact when it has fewer), or null when no solved question has it. Both reads are bounded: FTS5 walks
 * the doclist newest first and stops, and the span is a rowid range count on FTS5's docsize table.
 */
async function share(db: Q, token: string, total: () => Promise<number>): Promise<number | null> {
  const { rows } = await sql<{ n: number; lo: number | null }>`
    select count(*) as n, min(rowid) as lo
    from (select rowid from qa_search where qa_search match ${phrase(token)} order by rowid desc limit ${SAMPLE_MATCHES})`.execute(db);
  const { n, lo } = rows[0]!;
  if (n === 0 || lo === null) return null;
  if (n < SAMPLE_MATCHES) return n / (await total());
  const since = await sql<{ n: number }>`select count(*) as n from qa_search_docsize where id >= ${lo}`.execute(db);
  return n / since.rows[0]!.n;
}

/**
 * The tokens worth searching for. FTS5's bm25 gives a word found in more than half the solved questions
 * an IDF of ~0 (it clamps the negative value), so such words barely move the ranking, yet bm25 scans
 * each word's whole doclist on every query to compute that IDF: for a word in 70% of 100k questions,
 * most of a query's time. Such words are dropped (the rarest is kept when all are that common), and so
 * are words no solved question contains (a typo then does not empty an all-words search). How common a
 * word is comes from its newest matches, so a word that only recently became common counts as common.
 */
export async function informativeTokens(db: Q, tokens: readonly string[]): Promise<string[]> {
  // Solved questions, counted at most up to 2 × SAMPLE_MATCHES: beyond that every sampled-out word is under half.
  let capped: number | undefined;
  const total = async () =>
    (capped ??= (await sql<{ n: number }>`select count(*) as n from (select id from qa_search_docsize limit ${2 * SAMPLE_MATCHES})`.execute(db)).rows[0]!.n);
  const judged: { token: string; share: number }[] = [];
  for (const token of tokens) {
    const s = await share(db, token, total);
    if (s !== null) judged.push({ token, share: s });
  }
  const kept = judged.filter((j) => j.share <= 0.5);
  if (kept.length) return kept.map((j) => j.token);
  const rarest = judged.sort((a, b) => a.share - b.share)[0];
  return rarest ? [rarest.token] : [];
}
