// Renders the digest chart to PNG in-process: Apache ECharts draws SVG on the server (no DOM, no
// canvas, no browser) and resvg (Rust, prebuilt binaries from npm) rasterises it. Text uses the
// system fonts; on a machine without any, resvg leaves text out but still writes a valid PNG.
import { Resvg } from '@resvg/resvg-js';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { CHART_HEIGHT, CHART_WIDTH, chartOption } from './chart-options.ts';
import type { ChartInput } from './digest-port.ts';

echarts.use([HeatmapChart, BarChart, LineChart, GridComponent, TitleComponent, LegendComponent, VisualMapComponent, GraphicComponent, SVGRenderer]);

export interface RenderChartOptions {
  /** false renders without any font (tests use it to prove a font-less machine still gets a PNG). */
  systemFonts?: boolean;
}

/** The SVG as ECharts draws it (the README example and debugging use it too). */
export function chartSvg(input: ChartInput): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(chartOption(input));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A CHART_WIDTH × CHART_HEIGHT PNG. */
export function renderChart(input: ChartInput, options: RenderChartOptions = {}): Buffer {
  const systemFonts = options.systemFonts ?? true;
  const resvg = new Resvg(chartSvg(input), {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: { loadSystemFonts: systemFonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
