import { createHash } from 'node:crypto';
import type { Pool } from '../clients/db';
import { GateFailedError, InputRejectedError } from '../errors';
import { validateTable } from '../quality/sql-source';
import { loadSuite } from '../quality/suite';
import { fillDays, type DailySeries } from './forecast';
import type { SegmentKind } from './segmentation';

/** What the analysis build of a dataset covers, and the snapshot id of the facts it read. */
export interface MartBuild {
  /** Schema of the marts the build was read from (and the model tables go to). */
  schema: string;
  dataset: string;
  dtFrom: string;
  dtTo: string;
  factLines: number;
  realisedRevenue: string;
  /** sha256 of the build's fact checksums (range, fact lines, realised revenue): same facts, same id. */
  snapshotId: string;
}

/** Categories forecast beside the total: the largest by realised revenue. */
export const TOP_CATEGORIES = 3;

const iso = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/**
 * The latest analysis build of a dataset in the marts schema `schema` (a validated identifier).
 * @throws InputRejectedError when the analysis has not built this dataset's marts there.
 */
export async function readMartBuild(pool: Pool, dataset: string, schema = 'marts'): Promise<MartBuild> {
  const r = await pool.query(
    `select dataset, to_char(dt_from, 'YYYY-MM-DD') as dt_from, to_char(dt_to, 'YYYY-MM-DD') as dt_to,
            fact_lines, realised_revenue::text as realised_revenue
       from ${schema}.mart_build where dataset = $1 order by built_at desc limit 1`,
    [dataset],
  );
  const row = r.rows[0];
  if (!row) {
    throw new InputRejectedError(
      `no analysis build for dataset "${dataset}" in ${schema}.mart_build: run the analysis step first` +
        (schema === 'marts' ? '' : ` with --marts-schema ${schema}`),
      {
        details: { dataset },
      },
    );
  }
  const facts = {
    dataset,
    dtFrom: row.dt_from,
    dtTo: row.dt_to,
    factLines: Number(row.fact_lines),
    realisedRevenue: row.realised_revenue,
  };
  const snapshotId = createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
  return { schema, ...facts, snapshotId };
}

/** Daily realised revenue and units, in total and for the top categories, every day of the build. */
export async function readSeries(pool: Pool, b: MartBuild): Promise<DailySeries[]> {
  const range = [b.dataset, b.dtFrom, b.dtTo];
  const total = await pool.query(
    `select dt, realised_revenue::float8 as revenue, units::float8 as units from ${b.schema}.mart_sales_daily where dataset = $1 and dt between $2 and $3`,
    range,
  );
  const cats = await pool.query(
    `select category from ${b.schema}.mart_category_daily where dataset = $1 and dt between $2 and $3
      group by category order by sum(realised_revenue) desc, category limit ${TOP_CATEGORIES}`,
    range,
  );
  const out: DailySeries[] = [];
  const add = (series: string, rows: { dt: unknown; revenue: number; units: number }[]) => {
    for (const metric of ['revenue', 'units'] as const) {
      const filled = fillDays(b.dtFrom, b.dtTo, new Map(rows.map((r) => [iso(r.dt), Number(r[metric])])));
      out.push({ series, metric, ...filled });
    }
  };
  add('total', total.rows);
  for (const { category } of cats.rows) {
    const r = await pool.query(
      `select dt, realised_revenue::float8 as revenue, units::float8 as units from ${b.schema}.mart_category_daily where dataset = $1 and dt between $2 and $3 and category = $4`,
      [...range, category],
    );
    add(category, r.rows);
  }
  return out;
}

const FEATURES: Record<SegmentKind, { table: string; key: string; suite: string }> = {
  customer: { table: 'features_customer_segments', key: 'customer_key', suite: 'features_customer_segments' },
  product: { table: 'features_product_segments', key: 'style', suite: 'features_product_segments' },
};

/** A kind's feature table (schema-qualified), its key column and its suite. */
export function featureTable(kind: SegmentKind, schema = 'marts') {
  const f = FEATURES[kind];
  return { ...f, table: `${schema}.${f.table}` };
}

/**
 * Runs the feature table's suite on the dataset's rows (the quality engine, pushed down
 * as SQL). @throws GateFailedError naming the failed expectations.
 */
export async function gateFeatures(pool: Pool, kind: SegmentKind, dataset: string, dt: string, schema = 'marts') {
  const { table, suite } = featureTable(kind, schema);
  const v = await validateTable(pool, loadSuite(suite), table, { dataset, dt, to: dt });
  if (!v.result.success) {
    const failed = v.result.results
      .filter((r) => !r.success && r.expectation_config.severity === 'critical')
      .map((r) => `${r.expectation_config.type}(${String(r.expectation_config.kwargs.column ?? '')})`);
    throw new GateFailedError(`${table} failed its suite ${suite} for ${dataset} ${dt}: ${failed.join(', ')}`, {
      details: { table, suite, failed },
    });
  }
  return { suite, rows: v.rows, statistics: v.result.statistics };
}

/** The feature rows as of `dt` (the build's last day) as numbers (basket_lines derived for customers), by key. */
export async function readFeatures(pool: Pool, kind: SegmentKind, dataset: string, dt: string, schema = 'marts') {
  const { table, key } = featureTable(kind, schema);
  const r = await pool.query(`select * from ${table} where dataset = $1 and as_of = $2 order by ${key}`, [dataset, dt]);
  const keys = r.rows.map((row) => String(row[key]));
  const rows = r.rows.map((row) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(row))
      if (typeof v === 'number' || (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)))) out[k] = Number(v);
    if (kind === 'customer') out.basket_lines = out.orders ? out.lines! / out.orders : 0;
    return out;
  });
  return { keys, rows };
}
