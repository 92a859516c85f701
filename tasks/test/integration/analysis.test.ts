import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { dropSchema, freshSchema, putSilver } from './warehouse-helpers';

/**
 * The analysis step on a hand-built fixture of 8 order lines over two days, every expected number
 * worked out by hand (the comments give the lines each one comes from).
 */
const line = (o: Record<string, unknown>) => ({ ship_country: 'IN', ...o });
const DAY1 = [
  line({
    order_id: '171-0000001-0000001',
    sku: 'S1-L',
    style: 'S1',
    category: 'kurta',
    size: 'L',
    status: 'Shipped',
    qty: 1,
    amount: '500.00',
    ship_postal_code: '411038',
    ship_state: 'MAHARASHTRA',
    ship_city: 'PUNE',
    promotion_ids: ['VPC-1'],
  }),
  line({
    order_id: '171-0000001-0000001',
    sku: 'S2-M',
    style: 'S2',
    category: 'Set',
    size: 'M',
    status: 'Shipped - Delivered to Buyer',
    qty: 2,
    amount: '1200.00',
    ship_postal_code: '411038',
    ship_state: 'MAHARASHTRA',
    ship_city: 'PUNE',
  }),
  line({
    order_id: '171-0000002-0000002',
    sku: 'S1-M',
    style: 'S1',
    category: 'kurta',
    size: 'M',
    status: 'Cancelled',
    qty: 0,
    amount: '300.00',
    ship_postal_code: '800001',
    ship_state: 'BIHAR',
    ship_city: 'PATNA',
  }),
  line({
    order_id: '171-0000003-0000003',
    sku: 'S2-L',
    style: 'S2',
    category: 'Set',
    size: 'L',
    status: 'Shipped - Returned to Seller',
    qty: 1,
    amount: '700.00',
    ship_postal_code: '682001',
    ship_state: 'KERALA',
    ship_city: 'KOCHI',
    b2b: true,
  }),
];
const DAY2 = [
  line({
    order_id: '171-0000004-0000004',
    sku: 'S1-L',
    style: 'S1',
    category: 'kurta',
    size: 'L',
    status: 'Shipped',
    qty: 1,
    amount: '450.00',
    ship_postal_code: '411038',
    ship_state: 'MAHARASHTRA',
    ship_city: 'PUNE',
  }),
  line({
    order_id: '171-0000005-0000005',
    sku: 'S3-M',
    style: 'S3',
    category: 'Top',
    size: 'M',
    status: 'Shipped',
    qty: 1,
    amount: '300.00',
    ship_postal_code: '682001',
    ship_state: 'KERALA',
    ship_city: 'KOCHI',
    b2b: true,
    promotion_ids: ['VPC-1', 'VPC-2'],
  }),
  line({
    order_id: 'S02-0000006-0000006',
    sku: 'S3-S',
    style: 'S3',
    category: 'Top',
    size: 'S',
    status: 'Shipped',
    qty: 1,
    amount: null,
    sales_channel: 'Non-Amazon',
    ship_postal_code: '800001',
    ship_state: 'BIHAR',
    ship_city: 'PATNA',
  }),
  line({
    order_id: '171-0000007-0000007',
    sku: 'S2-M',
    style: 'S2',
    category: 'Set',
    size: 'M',
    status: 'Pending',
    qty: 1,
    amount: '900.00',
    ship_postal_code: '400001',
    ship_state: 'MAHARASHTRA',
    ship_city: 'MUMBAI',
  }),
];

describe('analysis', () => {
  let pool: Pool;
  let s3: S3Client;
  const bucket = `an-${uniqueSuffix()}`;
  const env = { S3_BUCKET: bucket };
  const dataset = `an-${uniqueSuffix()}`;
  const other = `an-other-${uniqueSuffix()}`;
  let schema: string;
  const marts = `mt_it_${uniqueSuffix().replace(/-/g, '_')}`;
  const analysis = (ds: string, dt: string, ...more: string[]) =>
    runStepCli(['analysis', '--dt', dt, '--dataset', ds, '--schema', schema, '--marts-schema', marts, ...more], env);
  const q = async (sql: string, params: unknown[] = [dataset]) => (await pool.query(sql, params)).rows;

  beforeAll(async () => {
    const config = stackConfig();
    pool = createPool(config, 2);
    s3 = createS3Client(config);
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    schema = await freshSchema();
    for (const [dt, rows] of [
      ['2022-04-29', DAY1],
      ['2022-04-30', DAY2],
    ] as const) {
      await putSilver(s3, bucket, dataset, dt, rows);
      const load = await runStepCli(['warehouse-load', '--dt', dt, '--dataset', dataset, '--schema', schema], env);
      expect(load.code).toBe(0);
    }
    // A second dataset on the same days, to prove the two never mix.
    await putSilver(s3, bucket, other, '2022-04-30', [DAY2[0]!]);
    expect(
      (await runStepCli(['warehouse-load', '--dt', '2022-04-30', '--dataset', other, '--schema', schema], env)).code,
    ).toBe(0);
    const first = await analysis(dataset, '2022-04-30');
    expect(first.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await pool.query(`drop schema if exists ${marts} cascade`);
    await pool.query(`drop schema if exists ${marts}_first cascade`);
    await dropSchema(pool, schema);
    await pool.end();
    s3.destroy();
  });

  test('daily sales: realised revenue of Amazon.in realised lines, orders, units, AOV and every status count', async () => {
    const rows = await q(
      `select to_char(dt, 'YYYY-MM-DD') as dt, realised_revenue, orders, units, avg_order_value, lines, realised_lines,
              cancelled_lines, returned_lines, gross_amount, lost_amount, returned_amount
       from ${marts}.mart_sales_daily where dataset = $1 order by dt`,
    );
    expect(rows).toEqual([
      // lines 1+2 realised (500 + 1200, qty 1 + 2, one order); 3 cancelled (300); 4 returned (700)
      {
        dt: '2022-04-29',
        realised_revenue: '1700.00',
        orders: '1',
        units: '3',
        avg_order_value: '1700.00',
        lines: '4',
        realised_lines: '2',
        cancelled_lines: '1',
        returned_lines: '1',
        gross_amount: '2700.00',
        lost_amount: '300.00',
        returned_amount: '700.00',
      },
      // lines 5+6 realised (450 + 300); 7 is Non-Amazon (no revenue, not realised); 8 pending (900)
      {
        dt: '2022-04-30',
        realised_revenue: '750.00',
        orders: '2',
        units: '2',
        avg_order_value: '375.00',
        lines: '4',
        realised_lines: '2',
        cancelled_lines: '0',
        returned_lines: '0',
        gross_amount: '1650.00',
        lost_amount: '0.00',
        returned_amount: '0.00',
      },
    ]);
  });

  test('per category and day, and by dimension with shares of the range', async () => {
    const daily = await q(
      `select to_char(dt, 'YYYY-MM-DD') as dt, category, realised_revenue, orders, units, lines, cancelled_lines
       from ${marts}.mart_category_daily where dataset = $1 order by dt, category`,
    );
    expect(daily).toEqual([
      {
        dt: '2022-04-29',
        category: 'Set',
        realised_revenue: '1200.00',
        orders: '1',
        units: '2',
        lines: '2',
        cancelled_lines: '0',
      },
      {
        dt: '2022-04-29',
        category: 'kurta',
        realised_revenue: '500.00',
        orders: '1',
        units: '1',
        lines: '2',
        cancelled_lines: '1',
      },
      {
        dt: '2022-04-30',
        category: 'Set',
        realised_revenue: '0.00',
        orders: '0',
        units: '0',
        lines: '1',
        cancelled_lines: '0',
      },
      {
        dt: '2022-04-30',
        category: 'Top',
        realised_revenue: '300.00',
        orders: '1',
        units: '1',
        lines: '2',
        cancelled_lines: '0',
      },
      {
        dt: '2022-04-30',
        category: 'kurta',
        realised_revenue: '450.00',
        orders: '1',
        units: '1',
        lines: '1',
        cancelled_lines: '0',
      },
    ]);
    const cats = await q(
      `select member, realised_revenue, revenue_share from ${marts}.mart_sales_by_dimension
       where dataset = $1 and dimension = 'category' order by member`,
    );
    expect(cats).toEqual([
      { member: 'Set', realised_revenue: '1200.00', revenue_share: '0.489796' },
      { member: 'Top', realised_revenue: '300.00', revenue_share: '0.122449' },
      { member: 'kurta', realised_revenue: '950.00', revenue_share: '0.387755' },
    ]);
    const weekly = await q(
      `select days_present, is_partial, growth from ${marts}.mart_sales_weekly where dataset = $1`,
    );
    expect(weekly).toEqual([{ days_present: 2, is_partial: true, growth: null }]);
    const monthly = await q(
      `select year_month, days_present, days_in_month, is_partial, realised_revenue from ${marts}.mart_sales_monthly where dataset = $1`,
    );
    expect(monthly).toEqual([
      { year_month: '2022-04', days_present: 2, days_in_month: 30, is_partial: true, realised_revenue: '2450.00' },
    ]);
  });

  test('revenue not realised by status, with its share of all gross sales (4,350)', async () => {
    const rows = await q(
      `select status_bucket, status, lines, gross_amount, share_of_gross from ${marts}.mart_revenue_lost
       where dataset = $1 order by status_bucket`,
    );
    expect(rows).toEqual([
      {
        status_bucket: 'cancelled',
        status: 'Cancelled',
        lines: '1',
        gross_amount: '300.00',
        share_of_gross: '0.068966',
      },
      { status_bucket: 'pending', status: 'Pending', lines: '1', gross_amount: '900.00', share_of_gross: '0.206897' },
      {
        status_bucket: 'returned',
        status: 'Shipped - Returned to Seller',
        lines: '1',
        gross_amount: '700.00',
        share_of_gross: '0.160920',
      },
    ]);
  });

  test('customer behaviour: B2B vs B2C, basket size, repeat postal codes, promotion effect', async () => {
    expect(
      await q(
        `select customer_type, customers, orders, lines, units, realised_revenue, avg_order_value, cancel_rate, return_rate
         from ${marts}.mart_customer_type where dataset = $1 order by customer_type`,
      ),
    ).toEqual([
      {
        customer_type: 'B2B',
        customers: '1',
        orders: '2',
        lines: '2',
        units: '1',
        realised_revenue: '300.00',
        avg_order_value: '300.00',
        cancel_rate: '0.000000',
        return_rate: '0.500000',
      },
      {
        customer_type: 'B2C',
        customers: '3',
        orders: '5',
        lines: '6',
        units: '4',
        realised_revenue: '2150.00',
        avg_order_value: '1075.00',
        cancel_rate: '0.166667',
        return_rate: '0.000000',
      },
    ]);
    expect(
      await q(
        `select basket_lines, orders, avg_units, realised_revenue, avg_order_value, order_share
         from ${marts}.mart_basket_size where dataset = $1 order by basket_lines`,
      ),
    ).toEqual([
      {
        basket_lines: 1,
        orders: '5',
        avg_units: '0.8000',
        realised_revenue: '750.00',
        avg_order_value: '375.00',
        order_share: '0.833333',
      },
      {
        basket_lines: 2,
        orders: '1',
        avg_units: '3.0000',
        realised_revenue: '1700.00',
        avg_order_value: '1700.00',
        order_share: '0.166667',
      },
    ]);
    expect(
      await q(
        `select order_bucket, customers, orders, realised_revenue, customer_share, revenue_share
         from ${marts}.mart_repeat_customers where dataset = $1 order by order_bucket`,
      ),
    ).toEqual([
      {
        order_bucket: '1',
        customers: '1',
        orders: '1',
        realised_revenue: '0.00',
        customer_share: '0.250000',
        revenue_share: '0.000000',
      },
      {
        order_bucket: '2',
        customers: '3',
        orders: '6',
        realised_revenue: '2450.00',
        customer_share: '0.750000',
        revenue_share: '1.000000',
      },
    ]);
    expect(
      await q(
        `select member, orders, lines, realised_revenue, avg_order_value, avg_units, cancel_rate
         from ${marts}.mart_promotion_effect where dataset = $1 and grouping = 'order' order by member`,
      ),
    ).toEqual([
      {
        member: 'with promotion',
        orders: '2.00',
        lines: '3.00',
        realised_revenue: '2000.00',
        avg_order_value: '1000.00',
        avg_units: '2.0000',
        cancel_rate: '0.000000',
      },
      {
        member: 'without promotion',
        orders: '4.00',
        lines: '4.00',
        realised_revenue: '450.00',
        avg_order_value: '450.00',
        avg_units: '0.7500',
        cancel_rate: '0.250000',
      },
    ]);
    // Allocated by promotion type, the revenue adds up to the total again.
    const [typed] = await q(
      `select sum(realised_revenue) as total from ${marts}.mart_promotion_effect where dataset = $1 and grouping = 'type'`,
    );
    expect(typed.total).toBe('2450.00');
    expect(
      await q(
        `select segment, lines, cancelled_lines, returned_lines from ${marts}.mart_segment_rates
         where dataset = $1 and segment_kind = 'customer_type' order by segment`,
      ),
    ).toEqual([
      { segment: 'B2B', lines: '2', cancelled_lines: '0', returned_lines: '1' },
      { segment: 'B2C', lines: '6', cancelled_lines: '1', returned_lines: '0' },
    ]);
  });

  test('product trends: rankings, concentration, Pareto, size mix; no trend claimed without 3 whole weeks', async () => {
    expect(
      await q(
        `select item, realised_revenue, units, orders, revenue_rank, units_rank, bottom_rank from ${marts}.mart_product_ranking
         where dataset = $1 and grain = 'style' order by item`,
      ),
    ).toEqual([
      {
        item: 'S1',
        realised_revenue: '950.00',
        units: '2',
        orders: '2',
        revenue_rank: 2,
        units_rank: 1,
        bottom_rank: 2,
      },
      {
        item: 'S2',
        realised_revenue: '1200.00',
        units: '2',
        orders: '1',
        revenue_rank: 1,
        units_rank: 2,
        bottom_rank: 3,
      },
      {
        item: 'S3',
        realised_revenue: '300.00',
        units: '1',
        orders: '1',
        revenue_rank: 3,
        units_rank: 3,
        bottom_rank: 1,
      },
    ]);
    expect(
      await q(
        `select top_pct, styles, revenue_share from ${marts}.mart_revenue_concentration where dataset = $1 order by top_pct`,
      ),
    ).toEqual([
      { top_pct: 1, styles: 1, revenue_share: '0.489796' },
      { top_pct: 5, styles: 1, revenue_share: '0.489796' },
      { top_pct: 20, styles: 1, revenue_share: '0.489796' },
    ]);
    expect(
      await q(
        `select style, style_pct, cumulative_share from ${marts}.mart_style_pareto where dataset = $1 order by style_rank`,
      ),
    ).toEqual([
      { style: 'S2', style_pct: '0.333333', cumulative_share: '0.489796' },
      { style: 'S1', style_pct: '0.666667', cumulative_share: '0.877551' },
      { style: 'S3', style_pct: '1.000000', cumulative_share: '1.000000' },
    ]);
    expect(
      await q(
        `select category, size, units, unit_share from ${marts}.mart_size_mix where dataset = $1 and category = 'kurta' order by size`,
      ),
    ).toEqual([
      { category: 'kurta', size: 'L', units: '2', unit_share: '1.000000' },
      { category: 'kurta', size: 'M', units: '0', unit_share: '0.000000' },
    ]);
    expect(await q(`select * from ${marts}.mart_trend where dataset = $1`)).toEqual([]);
  });

  test('feature tables: one row per postal code and per style as of the last day', async () => {
    const customers = await q(
      `select customer_key, orders, lines, units, gross_amount, realised_amount, avg_order_value, cancel_rate, return_rate,
              promo_share, b2b_share, distinct_categories, days_since_last_order,
              to_char(first_order_date, 'YYYY-MM-DD') as first, to_char(last_order_date, 'YYYY-MM-DD') as last,
              to_char(as_of, 'YYYY-MM-DD') as as_of
       from ${marts}.features_customer_segments where dataset = $1 order by customer_key`,
    );
    expect(customers).toEqual([
      {
        customer_key: '400001',
        orders: '1',
        lines: '1',
        units: '1',
        gross_amount: '900.00',
        realised_amount: '0.00',
        avg_order_value: '900.00',
        cancel_rate: '0.000000',
        return_rate: '0.000000',
        promo_share: '0.000000',
        b2b_share: '0.000000',
        distinct_categories: 1,
        days_since_last_order: 0,
        first: '2022-04-30',
        last: '2022-04-30',
        as_of: '2022-04-30',
      },
      {
        customer_key: '411038',
        orders: '2',
        lines: '3',
        units: '4',
        gross_amount: '2150.00',
        realised_amount: '2150.00',
        avg_order_value: '1075.00',
        cancel_rate: '0.000000',
        return_rate: '0.000000',
        promo_share: '0.333333',
        b2b_share: '0.000000',
        distinct_categories: 2,
        days_since_last_order: 0,
        first: '2022-04-29',
        last: '2022-04-30',
        as_of: '2022-04-30',
      },
      {
        customer_key: '682001',
        orders: '2',
        lines: '2',
        units: '2',
        gross_amount: '1000.00',
        realised_amount: '300.00',
        avg_order_value: '500.00',
        cancel_rate: '0.000000',
        return_rate: '0.500000',
        promo_share: '0.500000',
        b2b_share: '1.000000',
        distinct_categories: 2,
        days_since_last_order: 0,
        first: '2022-04-29',
        last: '2022-04-30',
        as_of: '2022-04-30',
      },
      {
        customer_key: '800001',
        orders: '2',
        lines: '2',
        units: '1',
        gross_amount: '300.00',
        realised_amount: '0.00',
        avg_order_value: '150.00',
        cancel_rate: '0.500000',
        return_rate: '0.000000',
        promo_share: '0.000000',
        b2b_share: '0.000000',
        distinct_categories: 2,
        days_since_last_order: 0,
        first: '2022-04-29',
        last: '2022-04-30',
        as_of: '2022-04-30',
      },
    ]);
    const [s1] = await q(
      `select orders, lines, units, gross_amount, realised_amount, avg_basket_lines, avg_unit_price, cancel_rate, sizes, top_size_share, days_active
       from ${marts}.features_product_segments where dataset = $1 and style = 'S1'`,
    );
    expect(s1).toEqual({
      orders: '3',
      lines: '3',
      units: '2',
      gross_amount: '1250.00',
      realised_amount: '950.00',
      avg_basket_lines: '1.3333',
      avg_unit_price: '475.00',
      cancel_rate: '0.333333',
      sizes: 2,
      top_size_share: '1.000000',
      days_active: 2,
    });
  });

  test('the feature gates read the tables in the warehouse: 4 postal codes fail the row count, nothing else', async () => {
    const gate = (suite: string) =>
      runStepCli(
        ['quality-gate', '--suite', suite, '--dt', '2022-04-30', '--dataset', dataset, '--no-mail', '--no-history',
         '--source', `table:${marts}.${suite}`],
        env,
      ); // prettier-ignore
    const customers = await gate('features_customer_segments');
    expect(customers.code).toBe(1);
    const failed = customers.result.details.summary.failed.map((f: { type: string }) => f.type);
    expect(failed).toEqual(['expect_table_row_count_to_be_between']);
    const products = await gate('features_product_segments');
    expect(products.code).toBe(1);
    // Its categories are among the nine and its shares in range: only its 3 styles are too few.
    expect(products.result.details.summary.failed.map((f: { type: string }) => f.type)).toEqual([
      'expect_table_row_count_to_be_between',
    ]);
  });

  test('the report states the day beside the period to date, read from the marts', async () => {
    const key = `reports/analysis/dataset=${dataset}/dt=2022-04-30/findings.md`;
    const md = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    expect(md).toContain('On 2022-04-30: realised revenue ₹750 from 2 orders and 2 units (average order ₹375).');
    expect(md).toContain('Period to date (2022-04-29..2022-04-30, 2 days): ₹2,450 from 3 orders and 5 units.');
    expect(md).toContain('no trend is claimed');
    const html = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.replace('findings.md', 'index.html') }))
    ).Body!.transformToString();
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(5);
  });

  test('a re-run leaves identical marts, and another dataset never mixes in', async () => {
    const checksum = async (ds: string) =>
      (
        await q(
          `select count(*) as n, sum(realised_revenue) as revenue, md5(string_agg(dataset || dt || category || realised_revenue || orders || units, ',' order by dt, category)) as h
           from ${marts}.mart_category_daily where dataset = $1`,
          [ds],
        )
      )[0];
    const before = await checksum(dataset);
    expect((await analysis(other, '2022-04-30')).code).toBe(0);
    expect((await analysis(dataset, '2022-04-29')).code).toBe(0);
    expect(await checksum(dataset)).toEqual(before);
    expect(await checksum(other)).toMatchObject({ n: '1', revenue: '450.00' });
    const builds = await q(
      `select dataset, to_char(dt_to, 'YYYY-MM-DD') as dt_to from ${marts}.mart_build order by dataset`,
      [],
    );
    expect(builds.filter((b) => b.dataset === dataset)).toEqual([{ dataset, dt_to: '2022-04-30' }]);
  });

  test('missing days, a dataset without facts and an empty range fail, naming the cause', async () => {
    const beyond = await analysis(dataset, '2022-04-28', '--to', '2022-05-02');
    expect(beyond.code).toBe(1);
    expect(beyond.result.error.message).toContain('2022-04-28, 2022-05-01..2022-05-02');
    const nothing = await analysis(`an-none-${uniqueSuffix()}`, '2022-04-30');
    expect(nothing.code).toBe(1);
    expect(nothing.result.error.message).toMatch(/has no facts in the warehouse/);
    const { main } = await import('../../src/cli');
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['analysis', '--dt', '2022-04-30', '--to', '2022-04-29', '--dataset', dataset])).toBe(2);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });

  test('two first-ever builds at once, into a marts schema that does not exist yet, both succeed', async () => {
    // Each run creates the schema and the tables; without one-at-a-time DDL the second fails on the
    // catalog's unique index (exit 3). Two datasets, so the builds share only the DDL.
    const first = `${marts}_first`;
    const runs = await Promise.all(
      [dataset, other].map((ds) =>
        runStepCli(
          ['analysis', '--dt', '2022-04-30', '--dataset', ds, '--schema', schema, '--marts-schema', first],
          env,
        ),
      ),
    );
    expect(runs.map((r) => [r.code, r.result?.error?.message])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
    const built = await q(`select dataset from ${first}.mart_build order by dataset`, []);
    expect(built.map((b) => b.dataset).sort()).toEqual([dataset, other].sort());
  });
});
