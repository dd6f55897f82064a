import { describe, expect, it } from 'vitest';
import { bayesianRating, contentValue, DAY_MS, freshness, NEUTRAL_PRIOR, priorMean, rankKey, reach, keyBound } from '../../src/reputation/content-value.ts';

// Hand-computed fixtures (m = 5, C = 3.5, half-life 30 days). See docs/reputation.md.
const settings = { m: 5, halfLifeDays: 30 };
const NOW = Date.UTC(2026, 10, 25, 12);
const C = 3.5;

describe('content value on fixed fixtures', () => {
  it('C is the mean of every rating on published posts, 3 before there is any', () => {
    expect(priorMean({ ratingCount: 0, ratingSum: 0 })).toBe(NEUTRAL_PRIOR);
    expect(priorMean({ ratingCount: 4, ratingSum: 14 })).toBe(3.5);
  });

  it('the Bayesian average is v/(v+m)·R + m/(v+m)·C', () => {
    // 10 ratings averaging 4.5: 10/15·4.5 + 5/15·3.5 = 3 + 1.1667 = 4.1667
    expect(bayesianRating(10, 45, 5, C)).toBeCloseTo(10 / 15 * 4.5 + 5 / 15 * 3.5, 12);
    expect(bayesianRating(10, 45, 5, C)).toBeCloseTo(4.166_666_666_7, 9);
    // One 5★ rating: 1/6·5 + 5/6·3.5 = 3.75, far from 5.
    expect(bayesianRating(1, 5, 5, C)).toBe(3.75);
    // No ratings: exactly C.
    expect(bayesianRating(0, 0, 5, C)).toBe(C);
  });

  it('reach grows by one per doubling of readers; freshness halves every half-life', () => {
    expect([reach(0), reach(2), reach(6), reach(14)]).toEqual([1, 2, 3, 4]);
    expect(freshness(0, 30)).toBe(1);
    expect(freshness(30 * DAY_MS, 30)).toBe(0.5);
    expect(freshness(60 * DAY_MS, 30)).toBe(0.25);
    // Dated in the future (clock skew): brand new, not more.
    expect(freshness(-DAY_MS, 30)).toBe(1);
  });

  it('value = quality × reach × freshness', () => {
    const a = { ratingCount: 10, ratingSum: 45, readers: 6, publishedAt: NOW - 30 * DAY_MS };
    const b = { ratingCount: 1, ratingSum: 5, readers: 2, publishedAt: NOW };
    const c = { ratingCount: 0, ratingSum: 0, readers: 0, publishedAt: NOW - 60 * DAY_MS };
    expect(contentValue(a, C, settings, NOW)).toBeCloseTo(4.166_666_666_7 * 3 * 0.5, 9); // 6.25
    expect(contentValue(b, C, settings, NOW)).toBe(3.75 * 2 * 1); // 7.5
    expect(contentValue(c, C, settings, NOW)).toBe(3.5 * 1 * 0.25); // 0.875
    // At the same age, ten good ratings and six readers beat a single 5★ with two readers.
    expect(contentValue({ ...a, publishedAt: NOW }, C, settings, NOW)).toBeCloseTo(12.5, 9);
  });

  it('the rank key is log2 of the value at the reference C, shifted by time; the key bound holds when C drifts', () => {
    const post = { ratingCount: 10, ratingSum: 45, readers: 6, publishedAt: NOW - 10 * DAY_MS };
    const key = rankKey(post, 5, C, 30);
    // log2(4.1667) + log2(log2(8)) + t/H
    expect(key).toBeCloseTo(Math.log2(62.5 / 15) + Math.log2(3) + post.publishedAt / (30 * DAY_MS), 9);
    expect(2 ** (key - NOW / (30 * DAY_MS))).toBeCloseTo(contentValue(post, C, settings, NOW), 9);
    // C has risen from 3.5 to 4.2: the bound widens by 4.2/3.5 = 1.2; when C falls it stays put.
    expect(keyBound(key, 4.2, C, 30, NOW)).toBeCloseTo(1.2 * contentValue(post, C, settings, NOW), 9);
    expect(keyBound(key, 2, C, 30, NOW)).toBeCloseTo(contentValue(post, C, settings, NOW), 9);
    for (const [count, sum] of [[0, 0], [1, 5], [100, 500], [3, 3], [7, 7]] as const) {
      for (const readers of [0, 5, 14]) {
        for (const [prior, cRef] of [[1, 3], [3, 3], [5, 3], [4.9, 1.2], [1.1, 5]]) {
          for (const at of [NOW - 40 * DAY_MS, NOW, NOW + DAY_MS]) {
            const figures = { ratingCount: count, ratingSum: sum, readers, publishedAt: at };
            expect(contentValue(figures, prior!, settings, NOW)).toBeLessThanOrEqual(keyBound(rankKey(figures, 5, cRef!, 30), prior!, cRef!, 30, NOW) * (1 + 1e-12));
          }
        }
      }
    }
  });
});
