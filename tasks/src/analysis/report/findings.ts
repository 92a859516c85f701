import { n, pct, rupees, signedPct } from './format';
import type { ReportData, Row } from './read';

/** The day the report is for, beside the period to date. */
export interface Headline {
  dt: string;
  day: { revenue: number; orders: number; units: number; aov: number | null } | null;
  toDate: { from: string; revenue: number; orders: number; units: number; days: number };
}

export interface Section {
  title: string;
  points: string[];
}

const num = (v: unknown) => Number(v ?? 0);
const dim = (data: ReportData, d: string) => data.byDimension.filter((r) => r.dimension === d);

/** D's numbers and the period to date (first day of the marts to D) from the daily mart. */
export function headline(data: ReportData): Headline {
  const day = data.daily.find((r) => r.dt === data.dt);
  const toDate = data.daily.filter((r) => String(r.dt) <= data.dt);
  const sum = (k: string) => toDate.reduce((a, r) => a + num(r[k]), 0);
  return {
    dt: data.dt,
    day: day
      ? {
          revenue: num(day.realised_revenue),
          orders: num(day.orders),
          units: num(day.units),
          aov: day.avg_order_value === null ? null : num(day.avg_order_value),
        }
      : null,
    toDate: {
      from: data.build.dt_from,
      revenue: sum('realised_revenue'),
      orders: sum('orders'),
      units: sum('units'),
      days: toDate.length,
    },
  };
}

function topList(rows: Row[], k = 3): string {
  return rows
    .slice(0, k)
    .map((r) => `${r.member} (${rupees(r.realised_revenue)}, ${pct(r.revenue_share)})`)
    .join(', ');
}

/** Where the revenue comes from: categories, states, fulfilment, B2B, repeat customers. */
function revenueSection(data: ReportData): Section {
  const points: string[] = [];
  const cats = dim(data, 'category');
  if (cats.length) {
    const top2 = cats.slice(0, 2).reduce((a, r) => a + num(r.revenue_share), 0);
    points.push(`Categories: ${topList(cats)}; the top two bring ${pct(top2)} of realised revenue.`);
  }
  const states = dim(data, 'ship_state');
  if (states.length) points.push(`Ship states: ${topList(states)} lead ${n(states.length)} states.`);
  const ful = dim(data, 'fulfilment');
  if (ful.length) points.push(`Fulfilment: ${topList(ful, 2)}.`);
  const b2b = data.customerTypes.find((r) => r.customer_type === 'B2B');
  const total = data.customerTypes.reduce((a, r) => a + num(r.realised_revenue), 0);
  if (b2b && total > 0) {
    points.push(
      `Business (B2B) buyers bring ${pct(num(b2b.realised_revenue) / total)} of revenue from ${n(b2b.customers)} postal codes ` +
        `(AOV ${rupees(b2b.avg_order_value)} against ${rupees(data.customerTypes.find((r) => r.customer_type === 'B2C')?.avg_order_value)} for B2C).`,
    );
  }
  const repeat = data.repeat.filter((r) => r.order_bucket !== '1');
  if (repeat.length) {
    const share = repeat.reduce((a, r) => a + num(r.revenue_share), 0);
    const customers = repeat.reduce((a, r) => a + num(r.customer_share), 0);
    points.push(
      `Repeat postal codes (more than one order; the postal code is the customer proxy, so this is an upper bound) ` +
        `are ${pct(customers)} of customers and bring ${pct(share)} of revenue.`,
    );
  }
  const promo = data.promotions.filter((r) => r.grouping === 'order');
  const withP = promo.find((r) => r.member === 'with promotion');
  const withoutP = promo.find((r) => r.member === 'without promotion');
  if (withP && withoutP) {
    points.push(
      `Orders with a promotion: ${n(withP.orders)} (AOV ${rupees(withP.avg_order_value)}); without: ${n(withoutP.orders)} ` +
        `(AOV ${rupees(withoutP.avg_order_value)}).`,
    );
  }
  return { title: 'Where the revenue comes from', points };
}

/** What is cancelled or returned, and where the rates are highest. */
function lossSection(data: ReportData): Section {
  const points: string[] = [];
  const lines = data.daily.reduce((a, r) => a + num(r.lines), 0);
  const cancelled = data.daily.reduce((a, r) => a + num(r.cancelled_lines), 0);
  const returned = data.daily.reduce((a, r) => a + num(r.returned_lines), 0);
  const lostAmount = data.daily.reduce((a, r) => a + num(r.lost_amount), 0);
  if (lines) {
    points.push(
      `${pct(cancelled / lines)} of lines were cancelled (${n(cancelled)} of ${n(lines)}), ${rupees(lostAmount)} of gross sales; ` +
        `${pct(returned / lines)} were returned or rejected (${n(returned)}).`,
    );
  }
  const buckets = new Map<string, { gross: number; share: number }>();
  for (const r of data.lost) {
    const b = buckets.get(String(r.status_bucket)) ?? { gross: 0, share: 0 };
    b.gross += num(r.gross_amount);
    b.share += num(r.share_of_gross);
    buckets.set(String(r.status_bucket), b);
  }
  if (buckets.size) {
    const parts = [...buckets].sort((a, b) => b[1].gross - a[1].gross);
    points.push(
      `Gross sales not realised, by status bucket: ${parts.map(([k, v]) => `${k} ${rupees(v.gross)} (${pct(v.share)})`).join(', ')}.`,
    );
  }
  const states = data.segmentRates
    .filter((r) => r.segment_kind === 'ship_state' && r.segment !== 'Other' && num(r.lines) >= 50)
    .sort((a, b) => num(b.cancel_rate) - num(a.cancel_rate));
  if (states.length) {
    points.push(
      `Highest cancellation rates among states with 50+ lines: ${states
        .slice(0, 3)
        .map((r) => `${r.segment} ${pct(r.cancel_rate)}`)
        .join(', ')}.`,
    );
  }
  const ful = data.segmentRates.filter((r) => r.segment_kind === 'fulfilment');
  if (ful.length) points.push(`Cancellation by fulfilment: ${ful.map((r) => `${r.segment} ${pct(r.cancel_rate)}`).join(', ')}.`);
  return { title: 'What is cancelled or returned', points };
}

/** Products and places: concentration, best styles, rising and declining, growth. */
function trendSection(data: ReportData): Section {
  const points: string[] = [];
  if (data.concentration.length) {
    points.push(
      `Concentration: ${data.concentration
        .map((r) => `the top ${r.top_pct}% of styles (${n(r.styles)}) bring ${pct(r.revenue_share)}`)
        .join('; ')} of realised revenue.`,
    );
  }
  if (data.topStyles.length) {
    points.push(
      `Best styles: ${data.topStyles
        .slice(0, 5)
        .map((r) => `${r.item} (${r.category}, ${rupees(r.realised_revenue)})`)
        .join(', ')}.`,
    );
  }
  for (const kind of ['style', 'ship_state']) {
    const label = kind === 'style' ? 'styles' : 'states';
    const rising = data.trends.filter((r) => r.subject_kind === kind && r.direction === 'rising').slice(0, 3);
    const falling = data.trends.filter((r) => r.subject_kind === kind && r.direction === 'declining').slice(0, 3);
    const fmt = (r: Row) => `${r.subject} (${signedPct(r.relative_slope)} a week)`;
    if (rising.length || falling.length) {
      points.push(
        `Rising ${label}: ${rising.map(fmt).join(', ') || 'none'}; declining: ${falling.map(fmt).join(', ') || 'none'} ` +
          `(slope of weekly revenue over the whole weeks, relative to the mean week).`,
      );
    }
  }
  if (!data.trends.length) {
    const whole = data.weekly.filter((r) => !r.is_partial).length;
    points.push(
      `Rising and declining products and places need 3 whole weeks; these marts hold ${whole}, so no trend is claimed.`,
    );
  }
  const weeks = data.weekly.filter((r) => r.growth !== null);
  const lastWeek = weeks[weeks.length - 1];
  if (lastWeek) {
    points.push(`Last whole week (from ${lastWeek.week_start}) against the one before: ${signedPct(lastWeek.growth)}.`);
  }
  const months = data.monthly.filter((r) => r.growth !== null);
  const lastMonth = months[months.length - 1];
  if (lastMonth) points.push(`Last whole month (${lastMonth.year_month}) against the one before: ${signedPct(lastMonth.growth)}.`);
  const partial = data.monthly.filter((r) => r.is_partial).map((r) => `${r.year_month} (${r.days_present}/${r.days_in_month} days)`);
  if (partial.length) points.push(`Partial months, not compared as whole: ${partial.join(', ')}.`);
  return { title: 'Products and places rising or falling', points };
}

/** Every section of the report, in reading order. */
export function findings(data: ReportData): Section[] {
  return [revenueSection(data), lossSection(data), trendSection(data)];
}
