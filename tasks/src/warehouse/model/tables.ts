import { dimDate, dimLocation, dimProduct } from './dimensions';
import { bridgeOrderLinePromotion, dimFulfilment, dimPromotion, dimStatus } from './dimensions-small';
import type { Table } from './types';

/**
 * The star schema, the one source of the warehouse DDL. Grain of the fact: one order line
 * (dataset, order_id, sku). Physical choices follow the queries in sql/analysis/ (see docs/warehouse.md).
 */
export const factOrderLines: Table = {
  name: 'fact_order_lines',
  doc: 'One row per order line (dataset, order_id, sku); a load replaces one (dataset, dt) at a time',
  columns: [
    { name: 'dataset', type: 'varchar(64)', encode: 'raw', doc: 'real extract and generated data never mix' },
    { name: 'dt', type: 'date', encode: 'raw', doc: 'order date = silver partition' },
    { name: 'order_id', type: 'varchar(32)', doc: 'degenerate dimension' },
    { name: 'sku', type: 'varchar(64)', doc: 'part of the grain; product_key carries the attributes' },
    { name: 'date_key', type: 'int', doc: 'dim_date (YYYYMMDD of dt)' },
    { name: 'product_key', type: 'bigint', doc: 'dim_product' },
    { name: 'location_key', type: 'bigint', doc: 'dim_location, 0 when the address is missing' },
    { name: 'fulfilment_key', type: 'bigint', doc: 'dim_fulfilment' },
    { name: 'status_key', type: 'bigint', doc: 'dim_status' },
    { name: 'promotion_group_key', type: 'bigint', doc: 'bridge_order_line_promotion; 0 = no promotion' },
    { name: 'qty', type: 'int', doc: 'units on the line' },
    { name: 'amount', type: 'numeric(12,2)', nullable: true, doc: 'line total in INR as sold (NULL = unknown)' },
    { name: 'gross_amount', type: 'numeric(12,2)', doc: 'coalesce(amount, 0), 0 for Non-Amazon' },
    { name: 'realised_amount', type: 'numeric(12,2)', doc: 'gross_amount of realised lines' },
    { name: 'lost_amount', type: 'numeric(12,2)', doc: 'gross_amount of cancelled lines' },
    { name: 'promo_count', type: 'int', doc: 'promotion ids on the line' },
    { name: 'is_b2b', type: 'boolean', doc: 'business customer' },
    { name: 'is_cancelled', type: 'boolean', doc: 'status bucket cancelled' },
    { name: 'is_non_amazon', type: 'boolean', doc: 'sales channel Non-Amazon (no revenue)' },
  ],
  primaryKey: ['dataset', 'dt', 'order_id', 'sku'],
  redshift: {
    diststyle: 'key',
    distkey: 'order_id',
    sortkey: ['dataset', 'dt'],
    reason:
      'every dimension is DISTSTYLE ALL, so no join needs the fact co-located with anything; order_id ' +
      'spreads rows evenly (~1.07 lines per order) and keeps an order on one slice for order-level ' +
      'questions. Every analysis query filters one dataset and a dt range, and a load deletes one ' +
      '(dataset, dt): the compound sort key (dataset, dt) lets zone maps skip all other blocks',
  },
  postgres: {
    partitionByMonth: 'dt',
    reason:
      'monthly range partitions on dt: analysis queries over a month or a quarter read only those ' +
      'partitions, and a load touches one partition',
    primaryKeyNotDeclared:
      'the loader checks it on both dialects (Redshift enforces no key): a date comes sorted by ' +
      '(order_id, sku) and each key once, checked line by line as silver is read ' +
      '(tasks/src/warehouse/silver/key-order.ts). Its index cost the load 0.6-0.7 s of a 1M-line ' +
      "day's 1.0-1.2 s publish, and no analysis query reads through it (docs/warehouse.md, Grain)",
    indexes: [
      {
        name: 'fact_order_lines_product_ix',
        columns: ['product_key'],
        reason:
          'top_products.sql: the products of one category, then their lines (product_key alone: a day ' +
          'partition holds one day and, as a rule, one dataset, so dataset and dt narrowed nothing there, ' +
          "while they made the load's index build compare a text and a date on every tie of product_key " +
          'and the index three times wider to sort: 0.38 s instead of 0.7 at 1M lines)',
      },
    ],
  },
};

export const loadAudit: Table = {
  name: 'load_audit',
  doc:
    'One row per warehouse-load attempt of a (dataset, dt): what silver promised and what the fact holds' +
    ' (a retry or a cleared task of the same Airflow run adds a row, keyed by its start)',
  columns: [
    { name: 'run_id', type: 'varchar(160)', doc: 'the step run id' },
    { name: 'dataset', type: 'varchar(64)', doc: 'dataset loaded' },
    { name: 'dt', type: 'date', doc: 'partition loaded' },
    { name: 'status', type: 'varchar(16)', doc: 'succeeded or failed (a failed load rolled back)' },
    { name: 'stage_method', type: 'varchar(16)', doc: 'copy (the step) or insert (the benchmark peer)' },
    { name: 'silver_files', type: 'int', doc: 'Parquet files read' },
    { name: 'manifest_rows', type: 'bigint', nullable: true, doc: 'silver_rows of _manifest.json' },
    { name: 'parquet_rows', type: 'bigint', nullable: true, doc: 'rows read from the Parquet files' },
    { name: 'fact_rows', type: 'bigint', nullable: true, doc: 'rows in the fact partition after the load' },
    { name: 'manifest_amount_sum', type: 'numeric(14,2)', nullable: true, doc: 'silver_amount_sum' },
    { name: 'parquet_amount_sum', type: 'numeric(14,2)', nullable: true, doc: 'sum(amount) of the Parquet' },
    { name: 'fact_amount_sum', type: 'numeric(14,2)', nullable: true, doc: 'sum(amount) of the fact partition' },
    { name: 'fact_realised_sum', type: 'numeric(14,2)', nullable: true, doc: 'sum(realised_amount)' },
    { name: 'started_at', type: 'timestamptz', doc: 'attempt start' },
    { name: 'finished_at', type: 'timestamptz', doc: 'commit or rollback' },
    { name: 'message', type: 'varchar(1024)', nullable: true, doc: 'why a load failed' },
  ],
  primaryKey: ['run_id', 'dataset', 'dt', 'started_at'],
  redshift: {
    diststyle: 'even',
    sortkey: ['dataset', 'dt'],
    reason: 'append-only log read by (dataset, dt); EVEN since it joins nothing',
  },
  postgres: {
    indexes: [{ name: 'load_audit_partition_ix', columns: ['dataset', 'dt'], reason: 'latest load of a date' }],
  },
};

/** Every table, in creation order. */
export const MODEL: Table[] = [
  dimDate,
  dimProduct,
  dimLocation,
  dimFulfilment,
  dimStatus,
  dimPromotion,
  bridgeOrderLinePromotion,
  factOrderLines,
  loadAudit,
];

/** Looks a table up by name. @throws Error for a name not in the model. */
export function table(name: string): Table {
  const t = MODEL.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name} in the warehouse model`);
  return t;
}

export { dimDate, dimLocation, dimProduct } from './dimensions';
export { bridgeOrderLinePromotion, dimFulfilment, dimPromotion, dimStatus } from './dimensions-small';
