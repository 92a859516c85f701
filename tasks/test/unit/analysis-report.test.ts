import { reportCharts } from '../../src/analysis/report/charts';
import { findings, headline } from '../../src/analysis/report/findings';
import { pct, rupees, signedPct } from '../../src/analysis/report/format';
import type { ReportData } from '../../src/analysis/report/read';
import { renderHtml, renderMarkdown } from '../../src/analysis/report/render';

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    dataset: 'd',
    dt: '2022-04-29',
    build: { dt_from: '2022-04-28', dt_to: '2022-04-30', fact_lines: '9', realised_revenue: '3100.00' },
    daily: [
      { dt: '2022-04-28', realised_revenue: '1000.00', orders: '2', units: '3', avg_order_value: '500.00', lines: '3', cancelled_lines: '1', returned_lines: '0', gross_amount: '1300.00', lost_amount: '300.00' },
      { dt: '2022-04-29', realised_revenue: '1500.00', orders: '3', units: '4', avg_order_value: '500.00', lines: '3', cancelled_lines: '0', returned_lines: '1', gross_amount: '1800.00', lost_amount: '0.00' },
      { dt: '2022-04-30', realised_revenue: '600.00', orders: '1', units: '1', avg_order_value: '600.00', lines: '3', cancelled_lines: '0', returned_lines: '0', gross_amount: '600.00', lost_amount: '0.00' },
    ],
    weekly: [],
    monthly: [{ year_month: '2022-04', days_present: 3, days_in_month: 30, is_partial: true, realised_revenue: '3100.00', orders: '6', growth: null }],
    byDimension: [
      { dimension: 'category', member: 'Set', realised_revenue: '2000.00', revenue_share: '0.645161' },
      { dimension: 'category', member: 'kurta', realised_revenue: '1100.00', revenue_share: '0.354839' },
    ],
    lost: [{ status_bucket: 'cancelled', status: 'Cancelled', lines: '1', gross_amount: '300.00', share_of_gross: '0.081081' }],
    customerTypes: [],
    repeat: [],
    promotions: [],
    segmentRates: [],
    topStyles: [{ item: 'JNE3781', category: 'kurta', realised_revenue: '1100.00', units: '2', revenue_rank: 1, bottom_rank: 1 }],
    concentration: [{ top_pct: 1, styles: 1, revenue_share: '0.645161' }],
    pareto: [{ style_rank: 1, style_pct: '0.5', cumulative_share: '0.645161' }],
    trends: [],
    ...overrides,
  };
}

describe('findings report', () => {
  test('the headline is the day beside the period to date (from the first day to the report day)', () => {
    expect(headline(data())).toEqual({
      dt: '2022-04-29',
      day: { revenue: 1500, orders: 3, units: 4, aov: 500 },
      toDate: { from: '2022-04-28', revenue: 2500, orders: 5, units: 7, days: 2 },
    });
  });

  test('numbers are written in Indian grouping, shares and growth with one decimal', () => {
    expect(rupees('1234567.4')).toBe('₹12,34,567');
    expect(pct('0.645161')).toBe('64.5%');
    expect(signedPct('-0.031')).toBe('-3.1%');
    expect(signedPct('0.25')).toBe('+25.0%');
  });

  test('sections say where revenue comes from, what is lost and that no trend is claimed without whole weeks', () => {
    const text = findings(data())
      .flatMap((s) => s.points)
      .join('\n');
    expect(text).toContain('Categories: Set (₹2,000, 64.5%), kurta (₹1,100, 35.5%); the top two bring 100.0% of realised revenue.');
    expect(text).toContain('11.1% of lines were cancelled (1 of 9), ₹300 of gross sales; 11.1% were returned or rejected (1).');
    expect(text).toContain('cancelled ₹300 (8.1%)');
    expect(text).toContain('no trend is claimed');
    expect(text).toContain('Partial months, not compared as whole: 2022-04 (3/30 days).');
  });

  test('trends name the rising and declining styles and states with their weekly slope', () => {
    const trends = [
      { subject_kind: 'style', subject: 'SET268', direction: 'rising', relative_slope: '0.12', trend_rank: 1 },
      { subject_kind: 'ship_state', subject: 'KERALA', direction: 'declining', relative_slope: '-0.08', trend_rank: 1 },
    ];
    const text = findings(data({ trends }))
      .flatMap((s) => s.points)
      .join('\n');
    expect(text).toContain('Rising styles: SET268 (+12.0% a week); declining: none');
    expect(text).toContain('Rising states: none; declining: KERALA (-8.0% a week)');
    expect(text).not.toContain('no trend is claimed');
  });

  test('charts are SVG with one mark per value, and a mart without rows draws no chart', () => {
    const charts = reportCharts(data());
    expect(charts.map((c) => c.name)).toEqual(['daily_revenue', 'revenue_by_category', 'not_realised', 'top_styles', 'pareto']);
    const daily = charts[0]!.svg;
    expect(daily.startsWith('<svg')).toBe(true);
    expect(daily).toContain('#e07b39'); // the report day stands out
    expect(reportCharts(data({ daily: [], pareto: [] })).map((c) => c.name)).not.toContain('daily_revenue');
  });

  test('Markdown and HTML carry the same headline; HTML escapes and inlines the charts', () => {
    const d = data({ dataset: 'a<b' });
    const meta = { dataset: d.dataset, runId: 'r1', builtAt: 't', range: { from: '2022-04-28', to: '2022-04-30' }, gaps: '' };
    const h = headline(d);
    const md = renderMarkdown(meta, h, findings(d), reportCharts(d));
    expect(md).toContain('- **On 2022-04-29: realised revenue ₹1,500 from 3 orders and 4 units (average order ₹500).**');
    expect(md).toContain('![Realised revenue per day (INR); the report day in orange](charts/daily_revenue.svg)');
    const html = renderHtml(meta, h, findings(d), reportCharts(d));
    expect(html).toContain('Sales findings: a&lt;b, 2022-04-29');
    expect(html.match(/<svg /g)).toHaveLength(5);
  });
});
