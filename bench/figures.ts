import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One measured figure beside a baseline measured in the same run on the same machine, so a
 * reader can judge the figure even on a shared, noisy host: the ratio is what to compare.
 */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number };
  ratio: number;
  samples: number;
}

export function figure(name: string, values: number[], unit: string, baselineName: string, baselineValues: number[]): Figure {
  const value = median(values);
  const baseline = median(baselineValues);
  return { figure: name, value: round(value), unit, baseline: { name: baselineName, value: round(baseline) }, ratio: round(value / baseline), samples: values.length };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [f.figure, `${f.value} ${f.unit}`, `${f.baseline.name}: ${f.baseline.value} ${f.unit}`, `${f.ratio}x`]);
  const header = ['figure', 'median', 'baseline (same run)', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}

export function writeResults(file: string, figures: Figure[], meta: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...meta, figures }, null, 2)}\n`);
}
