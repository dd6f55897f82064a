import { sql, type Kysely } from 'kysely';
import type { Database, QuestionsTable } from '../db/schema.ts';
import { informativeTokens } from './search-terms.ts';

type Q = Kysely<Database>;

export interface SearchHit {
  id: number;
  title: string;
  threadId: string | null;
  channelId: string;
  solutionMessageId: string | null;
  /** A short extract around the match, matches wrapped in ** (Discord bold). */
  snippet: string;
}

/** bm25 column weights in table order (title, body, topics, solution_excerpt): the title counts most. */
const WEIGHTS = sql.raw('10.0, 1.0, 5.0, 2.0');
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const MAX_TOKENS = 12;
const STOPWORDS = new Set(
  'a an and are as at be but by can do does for from how i if in is it me my of on or so that the this to was what when where which why with'.split(' '),
);

/**
 * Words from member text, safe to put in a MATCH: only letters, digits and underscores survive, so quotes,
 * `*`, `-`, `:`, `^`, parentheses and column filters cannot reach FTS5; bare operators are dropped.
 */
export function queryTokens(text: string, max = MAX_TOKENS): string[] {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const seen = new Set<string>();
  for (const w of words) {
    if (OPERATORS.has(w) || w.length > 64) continue;
    seen.add(w.toLowerCase());
    if (seen.size >= max) break;
  }
  return [...seen];
}

/** Each token a quoted FTS5 string, joined by AND (implicit) or OR; null when nothing searchable is left. */
export function ftsQuery(tokens: readonly string[], join: 'and' | 'or'): string | null {
  if (tokens.length === 0) return null;
  return tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(join === 'or' ? ' OR ' : ' ');
}

/**
 * Ranking is bounded: bm25 is computed for the newest CANDIDATES matches only (FTS5 walks its doclists
 * in rowid order and stops there), then sorted here, instead of scoring every one of tens of thousands
 * of matches for a broad word. Below CANDIDATES matches the ranking is exact; above, only the newest
 * are ranked. The other cost, bm25 scanning each word's whole doclist for its IDF, is cut in
 * search-terms.ts. Together they keep `/qa search` p99 under 20 ms at 100k solved (bench/qa-search.ts).
 */
export const CANDIDATES = 1000;

async function ranked(db: Q, match: string, limit: number, exclude: ReadonlySet<number>): Promise<number[]> {
  const { rows } = await sql<{ id: number; score: number }>`
    select rowid as id, bm25(qa_search, ${WEIGHTS}) as score from qa_search
    where qa_search match ${match} order by rowid desc limit ${CANDIDATES}`.execute(db);
  return rows
    .filter((r) => !exclude.has(r.id))
    .sort((x, y) => x.score - y.score || y.id - x.id)
    .slice(0, limit)
    .map((r) => r.id);
}

/** The rows and snippets of ranked ids, in rank order; the join drops anything no longer solved. */
async function hits(db: Q, ids: readonly number[], tokens: readonly string[]): Promise<SearchHit[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<SearchHit>`
    select q.id as id, q.title as title, q.thread_id as threadId, q.channel_id as channelId,
           q.solution_message_id as solutionMessageId, snippet(qa_search, -1, '**', '**', '…', 16) as snippet
    from qa_search join questions q on q.id = qa_search.rowid
    where qa_search match ${ftsQuery(tokens, 'or')} and qa_search.rowid in (${sql.join(ids)}) and q.state = 'solved'`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Stopwords say nothing about relevance (bm25 gives words in most questions ~0 weight) but cost the most;
 * a query of stopwords only ("how to") finds nothing rather than every question.
 */
const meaningful = (tokens: string[]) => tokens.filter((t) => !STOPWORDS.has(t));

/**
 * `/qa search`: solved questions ranked by bm25. Questions matching every word come first; when they are
 * fewer than `limit`, questions matching any word fill the rest.
 */
export async function searchSolved(db: Q, query: string, limit = 5): Promise<SearchHit[]> {
  const tokens = await informativeTokens(db, meaningful(queryTokens(query)));
  const all = ftsQuery(tokens, 'and');
  if (!all) return [];
  const ids = await ranked(db, all, limit, new Set());
  if (ids.length < limit && tokens.length > 1) ids.push(...(await ranked(db, ftsQuery(tokens, 'or')!, limit - ids.length, new Set(ids))));
  return hits(db, ids, tokens);
}

/**
 * Up to `limit` solved questions that look like a new one (duplicate check before posting). A
 * candidate must share at least half of the new title's meaningful words (and two of them), so one
 * common word ("loop", "error") never makes an unrelated question a "duplicate" to wade through.
 */
export async function similarSolved(db: Q, title: string, body: string, limit = 3): Promise<SearchHit[]> {
  const words = queryTokens(`${title} ${body.slice(0, 1000)}`, 64).filter((t) => t.length > 2 && !STOPWORDS.has(t)).slice(0, 16);
  const tokens = await informativeTokens(db, words);
  const any = ftsQuery(tokens, 'or');
  if (!any) return [];
  const titleWords = new Set(queryTokens(title, 64).filter((t) => t.length > 2 && !STOPWORDS.has(t)));
  const needed = Math.max(2, Math.ceil(titleWords.size / 2));
  const candidates = await hits(db, await ranked(db, any, limit * 5, new Set()), tokens);
  return candidates.filter((hit) => sharedWords(titleWords, hit.title) >= needed).slice(0, limit);
}

function sharedWords(words: ReadonlySet<string>, text: string): number {
  return new Set(queryTokens(text, 64).filter((t) => words.has(t))).size;
}

type Indexable = Pick<QuestionsTable, 'title' | 'body' | 'code' | 'topics' | 'solution_excerpt'> & { id: number };

/** Puts a solved question in the search table (replacing any earlier row); call inside the solve transaction. */
export async function indexSolved(db: Q, q: Indexable): Promise<void> {
  await unindexSolved(db, q.id);
  const topics = (JSON.parse(q.topics) as string[]).join(' ');
  const body = q.code ? `${q.body}\n${q.code}` : q.body;
  await sql`insert into qa_search (rowid, title, body, topics, solution_excerpt)
            values (${q.id}, ${q.title}, ${body}, ${topics}, ${q.solution_excerpt ?? ''})`.execute(db);
}

export async function unindexSolved(db: Q, questionId: number): Promise<void> {
  await sql`delete from qa_search where rowid = ${questionId}`.execute(db);
}
