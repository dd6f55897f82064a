// iso() formats instants for the digest's JSON; it must be exactly Date.prototype.toISOString().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso } from '../../src/reports/metrics/time.ts';

const MAX = 8.64e15; // the Date range

describe('iso', () => {
  it('is exactly toISOString for any instant of the Date range, on a first and a later call of its day', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX, max: MAX }), fc.integer({ min: 0, max: 86_399_999 }), (t, other) => {
        const sameDay = Math.min(MAX, Math.floor(t / 86_400_000) * 86_400_000 + other);
        expect([iso(t), iso(sameDay), iso(t)]).toEqual([new Date(t).toISOString(), new Date(sameDay).toISOString(), new Date(t).toISOString()]);
      }),
      { numRuns: 2000 },
    );
    for (const t of [0, -1, 1, -0.5, 1.9, Date.UTC(2026, 2, 29, 0, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -62_198_755_200_001, MAX, -MAX]) {
      expect([t, iso(t), iso(t)]).toEqual([t, new Date(t).toISOString(), new Date(t).toISOString()]);
    }
  });

  it('throws on an invalid instant, as toISOString does', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(MAX + 1)).toThrow(RangeError);
  });
});
