import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, chartOption } from '../../src/reports/chart-options.ts';
import { renderChart } from '../../src/reports/chart.ts';
import { CHART_WEEKS, chartInputFor, chartInputFrom } from '../../src/reports/chart-input.ts';
import { AS_OF, emptyDigest, iso, livelyDigest } from './fixtures.ts';

const WEEK = 7 * 86_400_000;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Every chunk's length and the IEND at the end: a truncated file fails here. */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    types.push(png.subarray(at + 4, at + 8).toString('latin1'));
    at += 12 + length;
    expect(at).toBeLessThanOrEqual(png.length);
  }
  return types;
}

describe('the digest chart', () => {
  it('is a complete PNG of the fixed size for a lively week', () => {
    const png = renderChart(chartInputFrom(livelyDigest(), [], 'Europe/Berlin'));
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    const types = chunkTypes(png);
    expect(types[0]).toBe('IHDR');
    expect(types).toContain('IDAT');
    expect(types.at(-1)).toBe('IEND');
  });

  it('renders an empty community (every rate null, no money) without failing', () => {
    const png = renderChart(chartInputFrom(emptyDigest(), [], 'UTC'));
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chunkTypes(png).at(-1)).toBe('IEND');
  });

  it('still renders a valid PNG on a machine without fonts (text left out)', () => {
    const input = chartInputFrom(livelyDigest(), [], 'UTC');
    const withoutFonts = renderChart(input, { systemFonts: false });
    expect(pngSize(withoutFonts)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    // Same picture minus the text: the bytes differ from the one drawn with fonts.
    expect(withoutFonts.equals(renderChart(input))).toBe(false);
  });
});

describe('chart input', () => {
  it('builds 12 weekly points, oldest first, from 6 computations (each DigestJson holds two weeks)', async () => {
    const asked: number[] = [];
    const compute = async (asOf: number) => {
      asked.push(asOf);
      const d = livelyDigest(asOf);
      d.metrics.paying_members = (AS_OF - asOf) / WEEK; // weeks back, so every point is identifiable
      d.previous.paying_members = (AS_OF - asOf) / WEEK + 1;
      return d;
    };
    const current = await compute(AS_OF);
    asked.length = 0;
    const input = await chartInputFor(compute, current, 'UTC');
    expect(asked).toEqual([2, 4, 6, 8, 10].map((k) => AS_OF - k * WEEK));
    expect(input.weeks).toHaveLength(CHART_WEEKS);
    expect(input.weeks.map((w) => w.paying_members)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(input.weeks.at(-1)!.week_start).toBe(iso(AS_OF - WEEK));
    expect(input.cohorts).toBe(current.metrics.cohort_retention);
  });

  it('charts the main currency: the one with the largest MRR', () => {
    const d = livelyDigest();
    expect(chartInputFrom(d, [], 'UTC').mrr_movement).toEqual({ currency: 'usd', movement: d.metrics.mrr_movement.usd });
    d.metrics.mrr = { usd: 100, eur: 5000 };
    d.metrics.mrr_movement.eur = { new: 5000, reactivated: 0, churned: 0, expansion: 0, contraction: 0 };
    expect(chartInputFrom(d, [], 'UTC').mrr_movement?.currency).toBe('eur');
    expect(chartInputFrom(emptyDigest(), [], 'UTC').mrr_movement).toBeNull();
  });

  it('draws outflows below zero in major units, and the oldest cohort with the longest row', () => {
    const option = chartOption(chartInputFrom(livelyDigest(), [], 'UTC')) as { series: { data: unknown[] }[] };
    const bars = option.series[1]!.data as { value: number }[];
    expect(bars.map((b) => b.value)).toEqual([45, 9, 10, -5, -18]);
    const heat = option.series[0]!.data as [number, number, number | '-'][];
    // Row 0 is cohort 8 (8 values), the last row cohort 1 (1 value): 36 cells in all.
    expect(heat.filter(([, row]) => row === 0)).toHaveLength(8);
    expect(heat.filter(([, row]) => row === 7)).toHaveLength(1);
    expect(heat).toHaveLength(36);
    const empty = chartOption(chartInputFrom(emptyDigest(), [], 'UTC')) as { series: { data: [number, number, number | '-'][] }[] };
    expect(empty.series[0]!.data.every(([, , v]) => v === '-')).toBe(true);
  });
});
