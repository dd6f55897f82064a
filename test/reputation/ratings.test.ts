import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/discord/user-error.ts';
import { pointsOf, reversePointsByPrefix } from '../../src/qa/points.ts';
import { ratePost, ratingRefPrefix, recordPostReaction, type RatingDeps } from '../../src/reputation/ratings.ts';
import { parseReputationSetup } from '../../src/reputation/reputation-config.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { insertPost, setPostState, userCreatedAt } from './post-fixtures.ts';

const { ada, brian, grace, tess, mo } = SAMPLE.users;
const AT = Date.UTC(2026, 10, 25, 12);
const DAY = 86_400_000;

describe('ratings: points, caps and abuse limits', () => {
  let t: TestDatabase;
  let deps: RatingDeps;
  beforeEach(async () => {
    t = await freshDatabase();
    // Default points per stars (3★ 1, 4★ 2, 5★ 3); a small cap so two ratings reach it.
    deps = { db: t.db, reputation: parseReputationSetup({ dailyCaps: { rating: 5 }, minAccountAgeDays: 7 }, []), timeZone: 'UTC' };
  });
  afterEach(() => t.cleanup());

  const rate = (postId: number, raterId: string, stars: number, at = AT) => ratePost(deps, { postId, raterId, stars, at });
  const ledger = (memberId: string) => t.db.selectFrom('points').select(['amount', 'source', 'ref']).where('member_id', '=', memberId).orderBy('id').execute();
  const stats = (postId: number) => t.db.selectFrom('post_stats').select(['published', 'rating_count', 'rating_sum', 'readers']).where('post_id', '=', postId).executeTakeFirstOrThrow();
  const totals = () => t.db.selectFrom('content_totals').select(['rating_count', 'rating_sum']).executeTakeFirstOrThrow();
  const refused = async (run: Promise<unknown>) => {
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  };

  it('a rating credits the author by stars, records the rater as a reader, and updates the rollups', async () => {
    const post = await insertPost(t.db, { authorId: ada });
    expect(await rate(post, brian, 5)).toEqual({ kind: 'rated', stars: 5, previous: null, authorId: ada, credited: 3, newAccount: false });
    expect(await ledger(ada)).toEqual([{ amount: 3, source: 'rating', ref: `post:${post}:rating:${brian}:0` }]);
    expect(await stats(post)).toEqual({ published: 1, rating_count: 1, rating_sum: 5, readers: 1 });
    expect(await totals()).toEqual({ rating_count: 1, rating_sum: 5 });
    expect(await t.db.selectFrom('post_readers').selectAll().execute()).toEqual([{ post_id: post, member_id: brian, via: 'rating', at: AT }]);
  });

  it('a changed rating moves the author’s points (old ref reversed, fresh ref credited); the same stars change nothing', async () => {
    const post = await insertPost(t.db, { authorId: ada });
    await rate(post, brian, 3);
    expect(await rate(post, brian, 4, AT + 1000)).toMatchObject({ kind: 'rated', stars: 4, previous: 3, credited: 2 });
    expect(await rate(post, brian, 4, AT + 2000)).toEqual({ kind: 'unchanged', stars: 4 });
    expect(await ledger(ada)).toEqual([
      { amount: 1, source: 'rating', ref: `post:${post}:rating:${brian}:0` },
      { amount: -1, source: 'rating', ref: `post:${post}:rating:${brian}:0:reversed` },
      { amount: 2, source: 'rating', ref: `post:${post}:rating:${brian}:1` },
    ]);
    expect(await pointsOf(t.db, ada)).toBe(2);
    // Down to 1★ (0 points): the 2 are taken back and nothing is credited.
    expect(await rate(post, brian, 1, AT + 3000)).toMatchObject({ previous: 4, credited: 0 });
    expect(await pointsOf(t.db, ada)).toBe(0);
    expect(await stats(post)).toEqual({ published: 1, rating_count: 1, rating_sum: 1, readers: 1 });
    expect(await t.db.selectFrom('ratings').select(['stars', 'revision', 'points_ref', 'created_at', 'updated_at']).execute()).toEqual([
      { stars: 1, revision: 2, points_ref: null, created_at: AT, updated_at: AT + 3000 },
    ]);
  });

  it('refuses rating your own post, and unpublished or missing posts; nothing is recorded', async () => {
    const own = await insertPost(t.db, { authorId: ada });
    expect((await refused(rate(own, ada, 5))).code).toBe('forbidden');
    const pending = await insertPost(t.db, { authorId: ada, state: 'pending', messageId: null });
    const gone = await insertPost(t.db, { authorId: ada, state: 'unpublished' });
    expect((await refused(rate(pending, brian, 5))).detail).toMatch(/not published/);
    expect((await refused(rate(gone, brian, 5))).code).toBe('not_found');
    expect((await refused(rate(9999, brian, 5))).code).toBe('not_found');
    expect(await ledger(ada)).toEqual([]);
    expect(await t.db.selectFrom('ratings').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('post_readers').selectAll().execute()).toEqual([]);
  });

  it('a brand-new account rates (it counts for content value) but earns the author nothing', async () => {
    const post = await insertPost(t.db, { authorId: ada });
    const fresh = userCreatedAt(AT - 2 * DAY);
    const week = userCreatedAt(AT - 7 * DAY);
    expect(await rate(post, fresh, 5)).toMatchObject({ kind: 'rated', credited: 0, newAccount: true });
    expect(await rate(post, week, 5)).toMatchObject({ kind: 'rated', credited: 3, newAccount: false });
    expect(await pointsOf(t.db, ada)).toBe(3);
    expect(await stats(post)).toMatchObject({ rating_count: 2, rating_sum: 10, readers: 2 });
  });

  it('the daily cap stops credits for the day (partly, then fully), and a change after it only takes back', async () => {
    const [p1, p2, p3] = [await insertPost(t.db, { authorId: ada }), await insertPost(t.db, { authorId: ada }), await insertPost(t.db, { authorId: ada })];
    expect(await rate(p1, brian, 5)).toMatchObject({ credited: 3 });
    expect(await rate(p2, grace, 5)).toMatchObject({ credited: 2 }); // 2 of 3: the cap is 5
    expect(await rate(p3, tess, 4)).toMatchObject({ credited: 0 });
    expect(await pointsOf(t.db, ada)).toBe(5);
    // brian lowers his rating: his 3 are reversed; the new 2 do not fit (reversals never free the cap).
    expect(await rate(p1, brian, 4, AT + 60_000)).toMatchObject({ previous: 5, credited: 0 });
    expect(await pointsOf(t.db, ada)).toBe(2);
    // The next day the cap starts over.
    expect(await rate(p3, mo, 5, AT + DAY)).toMatchObject({ credited: 3 });
    expect(await pointsOf(t.db, ada)).toBe(5);
  });

  it('unpublishing reverses every rating credit of the post (reversePointsByPrefix on our refs) and drops it from C', async () => {
    const post = await insertPost(t.db, { authorId: ada });
    const other = await insertPost(t.db, { authorId: ada });
    await rate(post, brian, 5);
    await rate(post, grace, 3, AT + 1);
    await rate(post, grace, 4, AT + 2); // a changed rating: its first ref is reversed already
    await rate(other, tess, 3, AT + 3);
    // 3, +1, then -1 and +1 (cap 5: only 1 of the 2 fits), then 0 for tess.
    expect(await pointsOf(t.db, ada)).toBe(4);
    expect(await totals()).toEqual({ rating_count: 3, rating_sum: 12 });

    await setPostState(t.db, post, 'unpublished', AT + 10);
    await reversePointsByPrefix(t.db, 'rating', ratingRefPrefix(post), AT + 10);
    expect(await pointsOf(t.db, ada)).toBe(0);
    expect(await stats(post)).toMatchObject({ published: 0, rating_count: 2, rating_sum: 9 });
    expect(await totals()).toEqual({ rating_count: 1, rating_sum: 3 });
    // Refs of post 1 never match post 1x: the prefix ends with the colon.
    expect(ratingRefPrefix(1)).toBe('post:1:rating:');
    expect((await refused(rate(post, mo, 5, AT + 20))).code).toBe('not_found');
    // Published again: it counts toward C again (its ratings stay; their points stay reversed).
    await setPostState(t.db, post, 'published', AT + 30);
    expect(await totals()).toEqual({ rating_count: 3, rating_sum: 12 });
  });

  it('reactions on a published post’s message add distinct readers; bots, the author and other messages do not', async () => {
    const messageId = '1390000000000099001';
    const post = await insertPost(t.db, { authorId: ada, messageId });
    const react = (userId: string, bot = false, id = messageId) => recordPostReaction({ db: t.db }, { messageId: id, userId, at: AT, bot });
    expect(await react(brian)).toBe('recorded');
    expect(await react(brian)).toBe('ignored'); // a second emoji from the same member
    expect(await react(ada)).toBe('ignored');
    expect(await react(SAMPLE.applicationId, true)).toBe('ignored');
    expect(await react(grace, false, '1390000000000099002')).toBe('ignored');
    await rate(post, brian, 4); // already a reader: still one
    await rate(post, grace, 4);
    expect(await stats(post)).toMatchObject({ readers: 2 });
    await setPostState(t.db, post, 'unpublished');
    expect(await react(tess)).toBe('ignored');
  });
});
