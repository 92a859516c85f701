import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPool, type Pool } from '../../src/clients/db';
import { createS3Client } from '../../src/clients/s3';
import { createLogger } from '../../src/logger';
import { postgres } from '../../src/warehouse/dialects/postgres';
import { loadDate } from '../../src/warehouse/load/load';
import { redshiftLoadScript } from '../../src/warehouse/load/redshift-script';
import { runStepCli, stackConfig, uniqueSuffix } from './helpers';
import { dayRows, dropSchema, freshSchema, putSilver, tableChecksums } from './warehouse-helpers';

describe('warehouse-load', () => {
  let pool: Pool;
  let s3: S3Client;
  const bucket = `wh-${uniqueSuffix()}`;
  const schemas: string[] = [];
  const env = { S3_BUCKET: bucket };
  const load = (schema: string, dataset: string, dt: string, ...more: string[]) =>
    runStepCli(['warehouse-load', '--dt', dt, '--dataset', dataset, '--schema', schema, ...more], env);
  const schema = async () => {
    const s = await freshSchema();
    schemas.push(s);
    return s;
  };

  beforeAll(async () => {
    pool = createPool(stackConfig());
    s3 = createS3Client(stackConfig());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
    s3.destroy();
  });

  it('loads a day that reconciles with silver, and loading it again leaves identical tables', async () => {
    const s = await schema();
    const dataset = `it-${uniqueSuffix()}`;
    await putSilver(s3, bucket, dataset, '2022-04-30', dayRows('2022-04-30', 40), { files: 2 });
    const first = await load(s, dataset, '2022-04-30');
    expect(first.code).toBe(0);
    expect(first.result.counts.rows).toBe(40);
    const before = await tableChecksums(pool, s);
    const again = await load(s, dataset, '2022-04-30');
    expect(again.code).toBe(0);
    expect(await tableChecksums(pool, s)).toEqual(before);
    const audit = await pool.query(
      `select status, fact_rows, manifest_amount_sum, fact_amount_sum from ${s}.load_audit`,
    );
    expect(audit.rows).toHaveLength(2);
    for (const r of audit.rows) expect(r).toMatchObject({ status: 'succeeded', fact_rows: '40' });
    expect(audit.rows[0].fact_amount_sum).toBe(audit.rows[0].manifest_amount_sum);
    // The day's columns came from the new table's defaults, which the partition no longer has.
    const day = await pool.query(`select distinct dataset, dt::text, date_key from ${s}.fact_order_lines`);
    expect(day.rows).toEqual([{ dataset, dt: '2022-04-30', date_key: 20220430 }]);
    const defaults = await pool.query(
      `select c.relname from pg_attrdef d join pg_class c on c.oid = d.adrelid
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname like 'fact_order_lines%'`,
      [s],
    );
    expect(defaults.rows).toEqual([]);
  });

  it('gives identical tables whether three dates load in order (one --to range) or out of order', async () => {
    const dataset = `it-${uniqueSuffix()}`;
    const dates = ['2022-04-28', '2022-04-29', '2022-04-30'];
    for (const [i, dt] of dates.entries()) await putSilver(s3, bucket, dataset, dt, dayRows(dt, 25 + i * 5, i + 2));
    const inOrder = await schema();
    expect((await load(inOrder, dataset, '2022-04-28', '--to', '2022-04-30')).code).toBe(0);
    const shuffled = await schema();
    for (const dt of ['2022-04-30', '2022-04-28', '2022-04-29', '2022-04-30']) {
      expect((await load(shuffled, dataset, dt)).code).toBe(0);
    }
    const a = await tableChecksums(pool, inOrder);
    expect(a.fact_order_lines).toMatch(/^90:/);
    expect(await tableChecksums(pool, shuffled)).toEqual(a);
    // Type 1: the category of the latest order date wins, whatever the load order.
    const { rows } = await pool.query(`select category from ${shuffled}.dim_product where sku = 'SKU0-KR-S'`);
    expect(rows).toEqual([{ category: 'cat-30' }]);
  });

  it('points lines without attributes at the unknown members and leaves no orphan keys', async () => {
    const s = await schema();
    const dataset = `it-${uniqueSuffix()}`;
    const noAddress = { ship_city: null, ship_state: null, ship_postal_code: null, ship_country: null };
    const noFulfilment = { fulfilment: null, sales_channel: null, ship_service_level: null, fulfilled_by: null };
    await putSilver(s3, bucket, dataset, '2022-05-03', [{ ...noAddress }, { ...noFulfilment }, {}]);
    expect((await load(s, dataset, '2022-05-03')).code).toBe(0);
    const { rows } = await pool.query(
      `select location_key::text, fulfilment_key::text from ${s}.fact_order_lines order by order_id`,
    );
    expect(rows[0].location_key).toBe('0');
    expect(rows[1].fulfilment_key).toBe('0');
    expect(rows[2].location_key).not.toBe('0');
    const orphans = await pool.query(`
      select count(*)::int as n from ${s}.fact_order_lines f
      where not exists (select 1 from ${s}.dim_date d where d.date_key = f.date_key)
         or not exists (select 1 from ${s}.dim_product d where d.product_key = f.product_key)
         or not exists (select 1 from ${s}.dim_location d where d.location_key = f.location_key)
         or not exists (select 1 from ${s}.dim_fulfilment d where d.fulfilment_key = f.fulfilment_key)
         or not exists (select 1 from ${s}.dim_status d where d.status_key = f.status_key)
         or (f.promotion_group_key <> 0 and not exists (
              select 1 from ${s}.bridge_order_line_promotion b where b.promotion_group_key = f.promotion_group_key))`);
    expect(orphans.rows[0].n).toBe(0);
    const holiday = await pool.query(
      `select is_public_holiday, holiday_name from ${s}.dim_date where date_key = 20220503`,
    );
    expect(holiday.rows).toEqual([{ is_public_holiday: true, holiday_name: 'Id-ul-Fitr' }]);
    const days = await pool.query(`select count(*)::int as n from ${s}.dim_date where year = 2022`);
    expect(days.rows[0].n).toBe(365);
  });

  it('stores quotes, semicolons, backslashes and SQL keywords as data', async () => {
    const s = await schema();
    const dataset = `it-${uniqueSuffix()}`;
    const nasty = `O'Brien"; DROP TABLE fact_order_lines; --\\t`;
    await putSilver(s3, bucket, dataset, '2022-04-30', [
      {
        sku: nasty,
        style: 'select * from x;',
        ship_city: 'NULL\ttab\nnewline',
        promotion_ids: ['{"a",b}', 'NULL', 'x\\y'],
      },
    ]);
    const loaded = await load(s, dataset, '2022-04-30');
    expect(loaded.result.error).toBeNull();
    const { rows } = await pool.query(
      `select p.sku, p.style, l.city from ${s}.fact_order_lines f join ${s}.dim_product p using (product_key)
       join ${s}.dim_location l using (location_key)`,
    );
    expect(rows).toEqual([{ sku: nasty, style: 'select * from x;', city: 'NULL\ttab\nnewline' }]);
    const promos = await pool.query(`select promotion_id from ${s}.dim_promotion where promotion_key <> 0 order by 1`);
    expect(promos.rows.map((r) => r.promotion_id)).toEqual(['NULL', 'x\\y', '{"a",b}'].sort());
  });

  it('runs on PostgreSQL every statement a Redshift load shares with it (day and month partitions alike)', async () => {
    const dataset = `it-${uniqueSuffix()}`;
    const dt = '2022-04-30';
    await putSilver(s3, bucket, dataset, dt, dayRows(dt, 30, 4));
    const executed = new Set<string>();
    const flat = (sql: string, schemaName: string) => sql.replace(/\s+/g, ' ').trim().split(schemaName).join('S');
    const deps = (schemaName: string) => ({
      pool,
      s3,
      bucket,
      schema: schemaName,
      dialect: postgres,
      method: 'copy' as const,
      runId: `itest-${uniqueSuffix()}`,
      logger: createLogger('silent'),
      signal: new AbortController().signal,
      trace: (_origin: string, sql: string) => void executed.add(flat(sql, schemaName)),
    });
    const byDay = await schema();
    await loadDate(deps(byDay), dataset, dt);
    // A warehouse loaded before day partitions: its month partition holds the date, so the load
    // replaces rows the way Redshift does, twice (the second time over existing rows).
    const byMonth = await schema();
    await pool.query(
      `create table ${byMonth}.fact_order_lines_p2022_04 partition of ${byMonth}.fact_order_lines
       for values from ('2022-04-01') to ('2022-05-01')`,
    );
    await loadDate(deps(byMonth), dataset, dt);
    await loadDate(deps(byMonth), dataset, dt);
    expect(await tableChecksums(pool, byMonth)).toEqual(await tableChecksums(pool, byDay));
    const dialectOnly =
      /^(lock |drop table if exists |create temp table |copy |select pg_last_copy_count|insert into stage_)/;
    const shared = redshiftLoadScript('S')
      .map((sql) => flat(sql, 'S'))
      .filter((sql) => !dialectOnly.test(sql));
    expect(shared.length).toBeGreaterThanOrEqual(13);
    expect(shared.filter((sql) => !executed.has(sql))).toEqual([]);
  });
});
