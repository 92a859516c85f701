import * as echarts from 'echarts';
import type { SeriesForecast } from './forecast';
import type { SegmentationResult } from './segmentation';

/** Renders one ECharts option to an SVG string in Node (server-side renderer, no browser, no DOM). */
export function renderSvg(option: echarts.EChartsOption, width = 760, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
/** Days of history shown before the forecast. */
const HISTORY_SHOWN = 42;

/** The last weeks of actuals, the point forecast and its 80 % / 95 % bands (stacked areas). */
export function forecastChart(f: SeriesForecast): string {
  const actual = f.values.slice(-HISTORY_SHOWN);
  const dates = [...f.dates.slice(-HISTORY_SHOWN), ...f.futureDates];
  const pad = (xs: number[]) => [...new Array<null>(actual.length).fill(null), ...xs.map(round)];
  const band = (lo: number[], hi: number[], name: string, color: string) => [
    {
      name: `${name} low`,
      type: 'line' as const,
      data: pad(lo),
      stack: name,
      lineStyle: { opacity: 0 },
      symbol: 'none',
    },
    {
      name,
      type: 'line' as const,
      data: pad(hi.map((h, i) => h - lo[i]!)),
      stack: name,
      lineStyle: { opacity: 0 },
      symbol: 'none',
      areaStyle: { color, opacity: 0.35 },
    },
  ];
  return renderSvg({
    title: { text: `${f.series} ${f.metric}: actual and 14-day forecast`, textStyle: { fontSize: 13 } },
    legend: { top: 22, data: ['actual', 'forecast', '95% interval', '80% interval'] },
    grid: { top: 60, left: 70, right: 20, bottom: 40 },
    xAxis: { type: 'category', data: dates },
    yAxis: { type: 'value' },
    series: [
      ...band(f.forecast.lo95, f.forecast.hi95, '95% interval', '#9ecae1'),
      ...band(f.forecast.lo80, f.forecast.hi80, '80% interval', '#4292c6'),
      {
        name: 'actual',
        type: 'line',
        data: [...actual.map(round), ...new Array<null>(f.futureDates.length).fill(null)],
        symbol: 'none',
        color: '#333',
      },
      { name: 'forecast', type: 'line', data: pad(f.forecast.point), symbol: 'none', color: '#d94801' },
    ],
  });
}

/** Backtest MASE per series: the model beside naive and seasonal-naive (lower is better). */
export function backtestChart(forecasts: SeriesForecast[]): string {
  const labels = forecasts.map((f) => `${f.series} ${f.metric}`);
  const bar = (name: string, pick: (f: SeriesForecast) => number) => ({
    name,
    type: 'bar' as const,
    data: forecasts.map((f) => round(pick(f))),
  });
  return renderSvg(
    {
      title: { text: 'Backtest MASE (rolling origins, 14 days; lower is better)', textStyle: { fontSize: 13 } },
      legend: { top: 22 },
      grid: { top: 60, left: 60, right: 20, bottom: 90 },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: 30 } },
      yAxis: { type: 'value' },
      series: [
        bar('MSTL/ETS', (f) => f.backtest.model.mase),
        bar('seasonal naive (7)', (f) => f.backtest.seasonalNaive.mase),
        bar('naive', (f) => f.backtest.naive.mase),
      ],
    },
    760,
    360,
  );
}

/** Members and realised revenue per segment. */
export function segmentChart(s: SegmentationResult): string {
  const names = s.profiles.map((p) => p.name);
  return renderSvg(
    {
      title: { text: `${s.kind} segments: members and realised revenue`, textStyle: { fontSize: 13 } },
      legend: { top: 22 },
      grid: { top: 60, left: 230, right: 70, bottom: 30 },
      yAxis: { type: 'category', data: names },
      xAxis: [
        { type: 'value', name: 'members' },
        { type: 'value', name: 'revenue' },
      ],
      series: [
        { name: 'members', type: 'bar', data: s.profiles.map((p) => p.members) },
        { name: 'realised revenue', type: 'bar', xAxisIndex: 1, data: s.profiles.map((p) => p.realisedRevenue) },
      ],
    },
    760,
    Math.max(200, 90 + 40 * names.length),
  );
}
