// /top: the most valuable published posts, exactly, without scoring every post. Each post's
// rank_key (post_stats, kept by triggers) is log2 of its value at a reference C, shifted by time
// (see rankKey in content-value.ts). Walking post_stats by rank_key (an index) from the top, every
// post not yet read is worth at most keyBound(last key read). Once that bound falls to the current
// last place, no later post can enter the list and the walk stops: after little more than the
// list itself, however many posts there are.
import { sql } from 'kysely';
import type { DbOrTrx } from '../membership/outbox.ts';
import { bayesianRating, contentValue, DAY_MS, keyBound, priorMean, type ValueSettings } from './content-value.ts';

export const TOP_PERIODS = ['week', 'month', 'all'] as const;
export type TopPeriod = (typeof TOP_PERIODS)[number];
const PERIOD_DAYS: Record<TopPeriod, number | null> = { week: 7, month: 30, all: null };

export interface TopQuery {
  period: TopPeriod;
  /** A post kind (article, tutorial, ...) or null for all. */
  kind: string | null;
  now: number;
  limit: number;
  settings: ValueSettings;
  /** Whether the viewer may see a post for this audience (null = all members). */
  visible(audienceTier: string | null): boolean;
}

export interface TopEntry {
  postId: number;
  authorId: string;
  kind: string;
  publishedAt: number;
  ratingCount: number;
  /** The Bayesian average in stars. */
  quality: number;
  readers: number;
  value: number;
}

const FIRST_PAGE = 32;
const better = (a: TopEntry, b: TopEntry) => b.value - a.value || b.publishedAt - a.publishedAt || b.postId - a.postId;

export async function topContent(db: DbOrTrx, q: TopQuery): Promise<TopEntry[]> {
  const totals = await db.selectFrom('content_totals').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const prior = priorMean({ ratingCount: totals.rating_count, ratingSum: totals.rating_sum });
  const cRef = await rekeyIfNeeded(db, totals, { halfLifeMs: q.settings.halfLifeDays * DAY_MS, m: q.settings.m, prior });
  const days = PERIOD_DAYS[q.period];
  const since = days === null ? null : q.now - days * DAY_MS;

  const top: TopEntry[] = [];
  let cursor: { key: number; id: number } | null = null;
  for (let size = FIRST_PAGE; ; size = Math.min(size * 4, 2048)) {
    let page = db
      .selectFrom('post_stats')
      .select(['post_id', 'author_id', 'kind', 'audience_tier', 'published_at', 'rating_count', 'rating_sum', 'readers', 'rank_key'])
      .where('published', '=', 1)
      .where('rank_key', 'is not', null);
    if (q.kind) page = page.where('kind', '=', q.kind);
    if (since !== null) page = page.where('published_at', '>=', since);
    if (cursor) {
      const { key, id } = cursor;
      page = page.where((eb) => eb(eb.refTuple('rank_key', 'post_id'), '<', eb.tuple(key, id)));
    }
    const rows = await page.orderBy('rank_key', 'desc').orderBy('post_id', 'desc').limit(size).execute();
    for (const row of rows) {
      if (!q.visible(row.audience_tier)) continue;
      const publishedAt = row.published_at!;
      top.push({
        postId: row.post_id,
        authorId: row.author_id,
        kind: row.kind,
        publishedAt,
        ratingCount: row.rating_count,
        quality: bayesianRating(row.rating_count, row.rating_sum, q.settings.m, prior),
        readers: row.readers,
        value: contentValue({ ratingCount: row.rating_count, ratingSum: row.rating_sum, readers: row.readers, publishedAt }, prior, q.settings, q.now),
      });
    }
    top.sort(better);
    top.length = Math.min(top.length, q.limit);
    const last = rows.at(-1);
    if (rows.length < size || !last) break;
    cursor = { key: last.rank_key!, id: last.post_id };
    // Every later row has a key at most last's, so it is worth at most keyBound(last key); it can
    // at best tie the last place. The slack absorbs floating-point rounding (SQL and JS logs).
    if (top.length === q.limit && top.at(-1)!.value > keyBound(last.rank_key!, prior, cRef, q.settings.halfLifeDays, q.now) * (1 + 1e-9)) break;
  }
  return top;
}

/** How far C may drift from the reference before every key is recomputed (the bound loosens by the ratio). */
const DRIFT = 0.05;

/**
 * Keys were computed with other settings, or C has drifted: every key is recomputed, in one
 * transaction, at the current C. Rare (a setting change, or C moving 5%) and about a second at
 * 100k posts. Returns the reference C the keys now use.
 */
async function rekeyIfNeeded(
  db: DbOrTrx,
  stored: { half_life_ms: number; prior_m: number; prior_ref: number },
  wanted: { halfLifeMs: number; m: number; prior: number },
): Promise<number> {
  if (stored.half_life_ms === wanted.halfLifeMs && stored.prior_m === wanted.m && Math.abs(wanted.prior / stored.prior_ref - 1) <= DRIFT) return stored.prior_ref;
  const rekey = async (trx: DbOrTrx) => {
    await trx.updateTable('content_totals').set({ half_life_ms: wanted.halfLifeMs, prior_m: wanted.m, prior_ref: wanted.prior }).where('id', '=', 1).execute();
    // The same expression as the triggers' (migrations/2026_11_25_120500_create_rating_tables.ts).
    await sql`update post_stats set rank_key = log2((rating_sum + ${wanted.m} * ${wanted.prior}) / (rating_count + ${wanted.m})) + log2(log2(2 + readers)) + published_at * 1.0 / ${wanted.halfLifeMs}`.execute(trx);
  };
  if (db.isTransaction) await rekey(db);
  else await db.transaction().execute(rekey);
  return wanted.prior;
}
