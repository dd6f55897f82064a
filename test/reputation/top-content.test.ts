import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentValue, DAY_MS, priorMean } from '../../src/reputation/content-value.ts';
import { topContent, type TopPeriod } from '../../src/reputation/top-content.ts';
import type { PostKind } from '../../src/db/schema-posts.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { insertPost, setPostState } from './post-fixtures.ts';

const NOW = Date.UTC(2026, 10, 25, 12);
const settings = { m: 5, halfLifeDays: 30 };
const all = (_tier: string | null) => true;
const member = (n: number) => String(1_300_000_000_000_100_000n + BigInt(n));

async function rateRows(t: TestDatabase, postId: number, stars: number[], readersOnly = 0) {
  if (stars.length) {
    await t.db.insertInto('ratings').values(stars.map((s, i) => ({ post_id: postId, member_id: member(i), stars: s, points_ref: null, created_at: NOW, updated_at: NOW }))).execute();
    await t.db.insertInto('post_readers').values(stars.map((_, i) => ({ post_id: postId, member_id: member(i), via: 'rating' as const, at: NOW }))).execute();
  }
  if (readersOnly) {
    await t.db.insertInto('post_readers').values(Array.from({ length: readersOnly }, (_, i) => ({ post_id: postId, member_id: member(10_000 + i), via: 'reaction' as const, at: NOW }))).execute();
  }
}

describe('/top ranking on fixed fixtures', () => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await freshDatabase();
    const author = member(99_999);
    // C over published posts: (45 + 5 + 3·... ) computed below from these rows.
    ids.steady = await insertPost(t.db, { authorId: author, title: 'steady', publishedAt: NOW - 30 * DAY_MS });
    ids.lucky = await insertPost(t.db, { authorId: author, title: 'lucky', publishedAt: NOW - DAY_MS });
    ids.quiet = await insertPost(t.db, { authorId: author, title: 'quiet', kind: 'tutorial', publishedAt: NOW - 2 * DAY_MS });
    ids.paid = await insertPost(t.db, { authorId: author, title: 'paid', audienceTier: 'Pro', publishedAt: NOW - 3 * DAY_MS });
    ids.gone = await insertPost(t.db, { authorId: author, title: 'gone', publishedAt: NOW });
    await rateRows(t, ids.steady!, [5, 5, 4, 5, 4, 5, 4, 5, 4, 4], 0); // 10 ratings, sum 45, 10 readers
    await rateRows(t, ids.lucky!, [5]); // 1 rating, 1 reader
    await rateRows(t, ids.quiet!, [], 6); // no ratings, 6 readers
    await rateRows(t, ids.paid!, [5, 5]);
    await rateRows(t, ids.gone!, [1, 1, 1]);
    await setPostState(t.db, ids.gone!, 'unpublished');
  });
  afterAll(() => t.cleanup());

  it('C excludes unpublished posts; values follow quality × reach × freshness', async () => {
    // Published ratings: 45 + 5 + 10 = 60 over 13 ratings.
    expect(await t.db.selectFrom('content_totals').select(['rating_count', 'rating_sum']).executeTakeFirstOrThrow()).toEqual({ rating_count: 13, rating_sum: 60 });
    const C = 60 / 13;
    const top = await topContent(t.db, { period: 'all', kind: null, now: NOW, limit: 10, settings, visible: all });
    const expected = {
      // (45 + 5C)/15 · log2(12) · 2^(-1)
      steady: ((45 + 5 * C) / 15) * Math.log2(12) * 0.5,
      lucky: ((5 + 5 * C) / 6) * Math.log2(3) * 2 ** (-1 / 30),
      quiet: C * Math.log2(8) * 2 ** (-2 / 30),
      paid: ((10 + 5 * C) / 7) * Math.log2(4) * 2 ** (-3 / 30),
    };
    expect(top.map((e) => e.postId)).toEqual(['quiet', 'paid', 'steady', 'lucky'].map((k) => ids[k]));
    for (const e of top) {
      const name = Object.keys(ids).find((k) => ids[k] === e.postId) as keyof typeof expected;
      expect(e.value).toBeCloseTo(expected[name], 9);
    }
    expect(top.find((e) => e.postId === ids.steady)).toMatchObject({ ratingCount: 10, readers: 10, kind: 'article' });
  });

  it('filters by period, kind and audience', async () => {
    const run = (period: TopPeriod, kind: string | null, visible = all) => topContent(t.db, { period, kind, now: NOW, limit: 10, settings, visible }).then((r) => r.map((e) => e.postId));
    expect(await run('week', null)).toEqual([ids.quiet, ids.paid, ids.lucky]);
    expect(await run('month', null)).toEqual([ids.quiet, ids.paid, ids.steady, ids.lucky]); // steady is exactly 30 days old
    expect(await run('all', 'tutorial')).toEqual([ids.quiet]);
    expect(await run('all', 'career')).toEqual([]);
    expect(await run('all', null, (tier) => tier === null)).toEqual([ids.quiet, ids.steady, ids.lucky]);
  });
});

const SHORT = { m: 5, halfLifeDays: 30 };
const LONG = { m: 5, halfLifeDays: 365 };

describe('/top is exact: the early stop never drops a post a full scoring would list', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.cleanup());

  it('matches brute force over the raw ratings and readers, across pages, kinds and periods', async () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const kinds: PostKind[] = ['article', 'tutorial', 'code', 'career', 'other'];
    // 700 posts over two years (several pages of 256), a few hugely read old ones to stress the bound.
    for (let i = 0; i < 700; i++) {
      const publishedAt = NOW - Math.floor(rnd() * 730 * DAY_MS);
      const id = await insertPost(t.db, { authorId: member(50_000 + (i % 40)), kind: kinds[i % 5], publishedAt, state: rnd() < 0.1 ? 'unpublished' : 'published', audienceTier: rnd() < 0.1 ? 'Pro' : null });
      const n = Math.floor(rnd() ** 3 * 12);
      await rateRows(t, id, Array.from({ length: n }, () => 1 + Math.floor(rnd() * 5)), i % 97 === 0 ? 400 : Math.floor(rnd() * 8));
    }
    // Traps for an early stop: 40 posts dated 20 days ahead (clock skew) count as brand new, so
    // their keys overstate their value; they sort first (more than a first page) while 10 better
    // posts from yesterday are worth more.
    for (let i = 0; i < 40; i++) await rateRows(t, await insertPost(t.db, { authorId: member(7), kind: 'code', publishedAt: NOW + 20 * DAY_MS - i }), Array(12).fill(4));
    for (let i = 0; i < 10; i++) await rateRows(t, await insertPost(t.db, { authorId: member(8), kind: 'code', publishedAt: NOW - DAY_MS - i }), Array(12).fill(5));
    const raw = await t.db
      .selectFrom('posts')
      .select((eb) => [
        'id', 'kind', 'published_at', 'audience_tier', 'state',
        eb.selectFrom('ratings').whereRef('ratings.post_id', '=', 'posts.id').select((e) => e.fn.countAll<number>().as('n')).as('count'),
        eb.selectFrom('ratings').whereRef('ratings.post_id', '=', 'posts.id').select((e) => e.fn.sum<number>('stars').as('s')).as('sum'),
        eb.selectFrom('post_readers').whereRef('post_readers.post_id', '=', 'posts.id').select((e) => e.fn.countAll<number>().as('r')).as('readers'),
      ])
      .execute();
    const published = raw.filter((p) => p.state === 'published');
    const C = priorMean({ ratingCount: published.reduce((a, p) => a + Number(p.count), 0), ratingSum: published.reduce((a, p) => a + Number(p.sum ?? 0), 0) });
    // A long half-life lets old, widely read posts compete with new ones: the walk must reach them.
    for (const [period, settings] of [['week', SHORT], ['month', SHORT], ['all', SHORT], ['all', LONG]] as const) {
      for (const kind of [null, 'code'] as const) {
        for (const visible of [all, (tier: string | null) => tier === null]) {
          const since = period === 'all' ? -Infinity : NOW - (period === 'week' ? 7 : 30) * DAY_MS;
          const brute = published
            .filter((p) => p.published_at! >= since && (!kind || p.kind === kind) && visible(p.audience_tier))
            .map((p) => ({ id: p.id, at: p.published_at!, value: contentValue({ ratingCount: Number(p.count), ratingSum: Number(p.sum ?? 0), readers: Number(p.readers), publishedAt: p.published_at! }, C, settings, NOW) }))
            .sort((a, b) => b.value - a.value || b.at - a.at || b.id - a.id)
            .slice(0, 10);
          const top = await topContent(t.db, { period, kind, now: NOW, limit: 10, settings, visible });
          expect(top.map((e) => e.postId), `${period} ${kind} ${visible === all} ${settings.halfLifeDays}`).toEqual(brute.map((b) => b.id));
          top.forEach((e, i) => expect(e.value).toBeCloseTo(brute[i]!.value, 9));
        }
      }
    }
    // The fixture really needs the walk past its first page (32 rows by rank key): the traps fill it.
    const weekCode = await topContent(t.db, { period: 'week', kind: 'code', now: NOW, limit: 10, settings: SHORT, visible: all });
    const firstPage = await t.db.selectFrom('post_stats').select('post_id').where('published', '=', 1).where('kind', '=', 'code').orderBy('rank_key', 'desc').orderBy('post_id', 'desc').limit(32).execute();
    expect(weekCode.filter((e) => !firstPage.some((r) => r.post_id === e.postId))).toHaveLength(10);
  });
});
