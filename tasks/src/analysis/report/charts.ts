import * as echarts from 'echarts';
import type { ReportData, Row } from './read';

/** One chart of the report: a file name, a caption and its SVG (rendered in Node, no browser). */
export interface Chart {
  name: string;
  title: string;
  svg: string;
}

const WIDTH = 760;

/** Renders one ECharts option to an SVG string with the server-side renderer. */
export function renderSvg(option: echarts.EChartsCoreOption, height = 320, width = WIDTH): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'DejaVu Sans, Arial, sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const num = (v: unknown) => Number(v ?? 0);

function hbar(title: string, rows: Row[], label: string, value: string, color = '#3b6ea8'): echarts.EChartsCoreOption {
  const shown = [...rows].reverse();
  return {
    title: { text: title, left: 0, textStyle: { fontSize: 14 } },
    grid: { left: 150, right: 40, top: 40, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: shown.map((r) => String(r[label])), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((r) => num(r[value])), itemStyle: { color } }],
  };
}

/** The report's charts; a chart whose mart is empty is left out rather than drawn blank. */
export function reportCharts(data: ReportData): Chart[] {
  const charts: Chart[] = [];
  if (data.daily.length) {
    charts.push({
      name: 'daily_revenue',
      title: 'Realised revenue per day (INR); the report day in orange',
      svg: renderSvg({
        title: { text: 'Realised revenue per day (INR)', textStyle: { fontSize: 14 } },
        grid: { left: 80, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: data.daily.map((r) => String(r.dt)) },
        yAxis: { type: 'value' },
        series: [
          {
            type: 'bar',
            data: data.daily.map((r) => ({
              value: num(r.realised_revenue),
              itemStyle: { color: r.dt === data.dt ? '#e07b39' : '#3b6ea8' },
            })),
          },
        ],
      }),
    });
  }
  const by = (d: string) => data.byDimension.filter((r) => r.dimension === d);
  if (by('category').length) {
    charts.push({
      name: 'revenue_by_category',
      title: 'Realised revenue by category',
      svg: renderSvg(hbar('Realised revenue by category (INR)', by('category'), 'member', 'realised_revenue')),
    });
  }
  if (by('ship_state').length) {
    charts.push({
      name: 'revenue_by_state',
      title: 'Realised revenue of the ten leading ship states',
      svg: renderSvg(hbar('Top 10 ship states (INR)', by('ship_state').slice(0, 10), 'member', 'realised_revenue')),
    });
  }
  if (data.lost.length) {
    charts.push({
      name: 'not_realised',
      title: 'Gross sales not realised, by status',
      svg: renderSvg(hbar('Gross sales not realised, by status (INR)', data.lost.slice(0, 8), 'status', 'gross_amount', '#b5473a')),
    });
  }
  if (data.topStyles.length) {
    charts.push({
      name: 'top_styles',
      title: 'The ten best-selling styles by realised revenue',
      svg: renderSvg(hbar('Top 10 styles (INR)', data.topStyles, 'item', 'realised_revenue')),
    });
  }
  if (data.pareto.length) {
    charts.push({
      name: 'pareto',
      title: 'Share of realised revenue from the top x% of styles',
      svg: renderSvg({
        title: { text: 'Revenue concentration over styles', textStyle: { fontSize: 14 } },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'value', min: 0, max: 100, name: '% of styles', nameLocation: 'middle', nameGap: 25 },
        yAxis: { type: 'value', min: 0, max: 100, name: '% of revenue' },
        series: [
          {
            type: 'line',
            showSymbol: false,
            data: data.pareto.map((r) => [num(r.style_pct) * 100, num(r.cumulative_share) * 100]),
          },
        ],
      }),
    });
  }
  return charts;
}
