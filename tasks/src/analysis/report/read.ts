import type { PoolClient } from '../../clients/db';

/** Rows of the marts the findings report reads; numbers as pg returns them (numeric = string). */
export type Row = Record<string, string | number | boolean | null>;

export interface ReportData {
  dataset: string;
  dt: string;
  build: { dt_from: string; dt_to: string; fact_lines: string; realised_revenue: string };
  daily: Row[];
  weekly: Row[];
  monthly: Row[];
  byDimension: Row[];
  lost: Row[];
  customerTypes: Row[];
  repeat: Row[];
  promotions: Row[];
  segmentRates: Row[];
  topStyles: Row[];
  concentration: Row[];
  pareto: Row[];
  trends: Row[];
}

/** Runs one mart query. Dates are formatted in SQL (to_char), never parsed into local-time Dates. */
async function rows(client: PoolClient, sql: string, params: unknown[]): Promise<Row[]> {
  return (await client.query<Row>(sql, params)).rows;
}

/** Reads what the findings report needs from the marts of one dataset (search_path set to them). */
export async function readReportData(client: PoolClient, dataset: string, dt: string): Promise<ReportData> {
  const p = [dataset];
  const day = "to_char(dt, 'YYYY-MM-DD') as dt";
  const [build] = await rows(
    client,
    "select to_char(dt_from, 'YYYY-MM-DD') as dt_from, to_char(dt_to, 'YYYY-MM-DD') as dt_to, fact_lines, realised_revenue from mart_build where dataset = $1",
    p,
  );
  return {
    dataset,
    dt,
    build: build as ReportData['build'],
    daily: await rows(
      client,
      `select ${day}, realised_revenue, orders, units, avg_order_value, lines, cancelled_lines, returned_lines, gross_amount, lost_amount from mart_sales_daily where dataset = $1 order by dt`,
      p,
    ),
    weekly: await rows(
      client,
      "select iso_week_year, iso_week, to_char(week_start, 'YYYY-MM-DD') as week_start, days_present, is_partial, realised_revenue, growth from mart_sales_weekly where dataset = $1 order by week_start",
      p,
    ),
    monthly: await rows(
      client,
      'select year_month, days_present, days_in_month, is_partial, realised_revenue, orders, growth from mart_sales_monthly where dataset = $1 order by year_month',
      p,
    ),
    byDimension: await rows(
      client,
      'select dimension, member, realised_revenue, orders, units, lines, cancelled_lines, revenue_share from mart_sales_by_dimension where dataset = $1 order by dimension, realised_revenue desc, member',
      p,
    ),
    lost: await rows(
      client,
      'select status_bucket, status, lines, gross_amount, share_of_gross from mart_revenue_lost where dataset = $1 order by gross_amount desc, status',
      p,
    ),
    customerTypes: await rows(
      client,
      'select customer_type, customers, orders, realised_revenue, avg_order_value, cancel_rate, return_rate from mart_customer_type where dataset = $1 order by customer_type',
      p,
    ),
    repeat: await rows(
      client,
      'select order_bucket, customers, orders, realised_revenue, customer_share, revenue_share from mart_repeat_customers where dataset = $1 order by order_bucket',
      p,
    ),
    promotions: await rows(
      client,
      'select grouping, member, orders, lines, realised_revenue, avg_order_value, avg_units, cancel_rate from mart_promotion_effect where dataset = $1 order by grouping, realised_revenue desc, member',
      p,
    ),
    segmentRates: await rows(
      client,
      'select segment_kind, segment, lines, cancelled_lines, returned_lines, cancel_rate, return_rate from mart_segment_rates where dataset = $1 order by segment_kind, lines desc, segment',
      p,
    ),
    topStyles: await rows(
      client,
      "select item, category, realised_revenue, units, revenue_rank, bottom_rank from mart_product_ranking where dataset = $1 and grain = 'style' and revenue_rank <= 10 order by revenue_rank",
      p,
    ),
    concentration: await rows(
      client,
      'select top_pct, styles, revenue_share from mart_revenue_concentration where dataset = $1 order by top_pct',
      p,
    ),
    pareto: await rows(
      client,
      'select style_rank, style_pct, cumulative_share from mart_style_pareto where dataset = $1 order by style_rank',
      p,
    ),
    trends: await rows(
      client,
      "select subject_kind, subject, category, weeks, realised_revenue, slope_per_week, relative_slope, direction, trend_rank from mart_trend where dataset = $1 and direction <> 'flat' and trend_rank <= 5 order by subject_kind, direction, trend_rank",
      p,
    ),
  };
}
