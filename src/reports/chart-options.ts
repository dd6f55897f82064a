// The ECharts option for the digest chart: three panels on one fixed-size canvas. Pure data in,
// option out, so tests and the renderer agree on what is drawn.
//   top left:  cohort retention heatmap (oldest cohort on top: the classic triangle)
//   top right: the week's MRR movement in the main currency (outflows below zero)
//   bottom:    12 weeks of paying and weekly active members
import { day, shortDay } from './figures.ts';
import { stripeExponent } from './money.ts';
import type { ChartInput } from './digest-port.ts';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 900;
/** DejaVu ships with most Linux images; the generic fallback keeps other fonts usable. */
export const CHART_FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

const INK = '#1f2937';
const MUTED = '#6b7280';
const GAIN = '#16a34a';
const LOSS = '#dc2626';

export function chartOption(input: ChartInput): Record<string, unknown> {
  const asOf = Date.parse(input.as_of);
  // k = 8 first, on top (the axis is inverted): the oldest cohort has the longest row.
  const cohorts = [...input.cohorts].reverse();
  const heat: [number, number, number | '-'][] = [];
  cohorts.forEach((c, row) => c.retention.forEach((r, j) => heat.push([j, row, r === null ? '-' : Math.round(r * 1000) / 10])));
  const move = input.mrr_movement;
  const scale = move ? 10 ** stripeExponent(move.currency) : 1;
  const moves = move
    ? [
        { name: 'new', value: move.movement.new / scale, color: GAIN },
        { name: 'reactivated', value: move.movement.reactivated / scale, color: GAIN },
        { name: 'expansion', value: move.movement.expansion / scale, color: GAIN },
        { name: 'contraction', value: -move.movement.contraction / scale, color: LOSS },
        { name: 'churned', value: -move.movement.churned / scale, color: LOSS },
      ]
    : [];
  const empty = (left: number | string, top: number, text: string) => ({ type: 'text', left, top, style: { text, fill: MUTED, fontSize: 16, fontFamily: CHART_FONT } });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: INK },
    title: [
      { text: `Weekly digest · week ending ${day(asOf, input.timeZone)}`, left: 24, top: 12, textStyle: { fontSize: 22, fontFamily: CHART_FONT } },
      { text: 'Cohort retention (share still paying, by week since joining)', left: 24, top: 52, textStyle: { fontSize: 15, fontFamily: CHART_FONT } },
      { text: move ? `MRR movement this week (${move.currency.toUpperCase()})` : 'MRR movement this week', left: 700, top: 52, textStyle: { fontSize: 15, fontFamily: CHART_FONT } },
      { text: 'Paying and weekly active members, 12 weeks', left: 24, top: 480, textStyle: { fontSize: 15, fontFamily: CHART_FONT } },
    ],
    grid: [
      { left: 150, top: 90, width: 480, height: 330 },
      { left: 780, top: 90, width: 380, height: 330 },
      { left: 80, top: 560, right: 40, height: 280 },
    ],
    xAxis: [
      { gridIndex: 0, type: 'category', data: ['week 1', '2', '3', '4', '5', '6', '7', '8'] },
      { gridIndex: 1, type: 'category', data: moves.map((m) => m.name), axisLabel: { interval: 0 } },
      { gridIndex: 2, type: 'category', boundaryGap: false, data: input.weeks.map((w) => shortDay(Date.parse(w.week_start), input.timeZone)) },
    ],
    yAxis: [
      { gridIndex: 0, type: 'category', data: cohorts.map((c) => `${shortDay(Date.parse(c.cohort_start), input.timeZone)} (${c.size})`), inverse: true },
      { gridIndex: 1, type: 'value' },
      { gridIndex: 2, type: 'value', minInterval: 1 },
    ],
    visualMap: { type: 'continuous', seriesIndex: 0, min: 0, max: 100, calculable: false, orient: 'horizontal', left: 150, top: 445, itemWidth: 12, itemHeight: 200, text: ['100%', '0%'], inRange: { color: ['#fee2e2', '#fde68a', '#86efac', '#15803d'] }, textStyle: { fontFamily: CHART_FONT } },
    legend: { top: 478, right: 40, itemGap: 40, data: ['Paying members', 'Weekly active'], textStyle: { fontFamily: CHART_FONT } },
    series: [
      { type: 'heatmap', xAxisIndex: 0, yAxisIndex: 0, data: heat, label: { show: true, formatter: (p: { value: [number, number, number] }) => `${p.value[2]}%`, fontFamily: CHART_FONT, fontSize: 11 } },
      { type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: moves.map((m) => ({ value: m.value, itemStyle: { color: m.color } })), label: { show: true, position: 'top', fontFamily: CHART_FONT, formatter: (p: { value: number }) => (p.value === 0 ? '0' : p.value.toLocaleString('en-US')) } },
      { type: 'line', name: 'Paying members', xAxisIndex: 2, yAxisIndex: 2, data: input.weeks.map((w) => w.paying_members), symbolSize: 7, lineStyle: { width: 3 } },
      { type: 'line', name: 'Weekly active', xAxisIndex: 2, yAxisIndex: 2, data: input.weeks.map((w) => w.weekly_active_members), symbolSize: 7, lineStyle: { width: 3 } },
    ],
    graphic: [
      ...(cohorts.every((c) => c.size === 0) ? [empty(330, 240, 'No cohorts yet')] : []),
      ...(move ? [] : [empty(820, 240, 'No paid subscriptions yet')]),
    ],
  };
}
