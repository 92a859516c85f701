import { FACT_COLUMNS } from './lines';

/**
 * The SQL of a load that both dialects run as the same text (the dialect modules in ../dialects
 * hold the few statements that differ). Only syntax PostgreSQL 15 and Redshift share: no `::`
 * casts to PostgreSQL-only types, no FILTER, no arrays, no IS DISTINCT FROM. Parameters: dimension
 * statements $1 = dt; fact statements $1 dataset, $2 dt.
 */
export const LOAD_TABLE = 'fact_order_lines_load';

/** The day's members, one temporary table per dimension, with the keys the loader computed. */
export const MEMBER_TABLES = {
  products: {
    table: 'stage_products',
    columns: ['product_key', 'sku', 'style', 'asin', 'category', 'size'],
  },
  locations: {
    table: 'stage_locations',
    columns: ['location_key', 'natural_key', 'ship_postal_code', 'ship_city', 'ship_state', 'ship_country'],
  },
  fulfilments: {
    table: 'stage_fulfilments',
    columns: ['fulfilment_key', 'natural_key', 'fulfilment', 'sales_channel', 'ship_service_level', 'fulfilled_by'],
  },
  statuses: {
    table: 'stage_statuses',
    columns: ['status_key', 'natural_key', 'status', 'courier_status', 'status_bucket'],
  },
  promotions: { table: 'stage_promotions', columns: ['promotion_key', 'promotion_id'] },
  groups: { table: 'stage_promotion_groups', columns: ['promotion_group_key', 'promotion_key', 'group_size'] },
} as const;
export type MemberTable = keyof typeof MEMBER_TABLES;

/** Column types of the member tables (the same words in both dialects). */
export function memberColumnType(column: string): string {
  if (column.endsWith('_key') && column !== 'natural_key') return 'bigint';
  if (column === 'group_size') return 'int';
  return 'varchar(1024)';
}

/** A multi-row INSERT of `rows` member rows with bound parameters. */
export function memberInsertSql(t: MemberTable, rows: number): string {
  const { table, columns } = MEMBER_TABLES[t];
  const tuples = Array.from(
    { length: rows },
    (_, r) => `(${columns.map((_c, k) => `$${r * columns.length + k + 1}`).join(', ')})`,
  );
  return `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
}

/** India Post PIN zones: the first digit of a PIN names the region (9 = Army Postal Service). */
const PIN_ZONE = `coalesce(position(substring(ship_postal_code, 1, 1) in '123456789'), 0)`;
const REGION = `case when pin_zone in (1, 2) then 'North' when pin_zone in (3, 4) then 'West'
  when pin_zone in (5, 6) then 'South' when pin_zone in (7, 8) then 'East'
  when pin_zone = 9 then 'Army Postal Service' else 'Unknown' end`;
const PROMOTION_TYPE = `case when promotion_id like 'Amazon PLCC Free-Financing%' then 'plcc_free_financing'
  when promotion_id like 'IN Core Free Shipping%' then 'free_shipping'
  when promotion_id like 'VPC-%' then 'voucher' when promotion_id like 'Duplicated %' then 'duplicated'
  when promotion_id like 'Subscribe and Save%' then 'subscribe_and_save' else 'other' end`;
const ATTRS = ['style', 'asin', 'category', 'size'];
const absent = (s: string, table: string, key: string, alias: string) =>
  `not exists (select 1 from ${s}.${table} as x where x.${key} = ${alias}.${key})`;

/** Dimension upserts, in order. Members are only ever added; `s` is the schema (validated). */
export function dimensionSql(s: string): string[] {
  const d = 'dim_product';
  const changed = ATTRS.map((c) => `coalesce(${d}.${c}, chr(30)) <> coalesce(p.${c}, chr(30))`).join(' or ');
  return [
    // Type 1: an older date never overwrites a newer one; unchanged members are not rewritten.
    `update ${s}.${d} set
       ${ATTRS.map((c) => `${c} = case when ${d}.attributes_as_of <= $1::date then p.${c} else ${d}.${c} end`).join(',\n       ')},
       attributes_as_of = greatest(${d}.attributes_as_of, $1::date),
       first_seen_dt = least(${d}.first_seen_dt, $1::date),
       last_seen_dt = greatest(${d}.last_seen_dt, $1::date)
     from stage_products as p
     where ${d}.sku = p.sku and (${d}.attributes_as_of < $1::date or ${d}.first_seen_dt > $1::date
       or ${d}.last_seen_dt < $1::date or (${d}.attributes_as_of = $1::date and (${changed})))`,
    `insert into ${s}.dim_product
       (product_key, sku, style, asin, category, size, attributes_as_of, first_seen_dt, last_seen_dt)
     select p.product_key, p.sku, p.style, p.asin, p.category, p.size, $1::date, $1::date, $1::date
     from stage_products as p where ${absent(s, d, 'sku', 'p')}`,
    `insert into ${s}.dim_location
       (location_key, natural_key, postal_code, city, state, country, pin_zone, region)
     select location_key, natural_key, ship_postal_code, ship_city, ship_state, ship_country, pin_zone, ${REGION}
     from (select m.*, ${PIN_ZONE} as pin_zone from stage_locations as m) as z
     where ${absent(s, 'dim_location', 'natural_key', 'z')}`,
    `insert into ${s}.dim_fulfilment
       (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by)
     select m.fulfilment_key, m.natural_key, m.fulfilment, m.sales_channel, m.ship_service_level, m.fulfilled_by
     from stage_fulfilments as m where ${absent(s, 'dim_fulfilment', 'natural_key', 'm')}`,
    `insert into ${s}.dim_status (status_key, natural_key, status, courier_status, status_bucket)
     select m.status_key, m.natural_key, m.status, m.courier_status, m.status_bucket
     from stage_statuses as m where ${absent(s, 'dim_status', 'natural_key', 'm')}`,
    `insert into ${s}.dim_promotion (promotion_key, promotion_id, promotion_type)
     select m.promotion_key, m.promotion_id, ${PROMOTION_TYPE}
     from stage_promotions as m where ${absent(s, 'dim_promotion', 'promotion_id', 'm')}`,
    `insert into ${s}.bridge_order_line_promotion (promotion_group_key, promotion_key, group_size, weighting_factor)
     select m.promotion_group_key, m.promotion_key, m.group_size, round(1.0 / m.group_size, 6)
     from stage_promotion_groups as m where ${absent(s, 'bridge_order_line_promotion', 'promotion_group_key', 'm')}`,
  ];
}

/**
 * Members whose dimension row carries another key than the loader computed (a collision, or a
 * warehouse keyed otherwise): the reconciliation expects none, so no line points at a wrong member.
 */
export function keyCheckSql(s: string): string {
  const differ = (table: string, dim: string, on: string, key: string) =>
    `(select count(*) from ${table} as m join ${s}.${dim} as d on d.${on} = m.${on} where d.${key} <> m.${key})`;
  return `select ${[
    differ('stage_products', 'dim_product', 'sku', 'product_key'),
    differ('stage_locations', 'dim_location', 'natural_key', 'location_key'),
    differ('stage_fulfilments', 'dim_fulfilment', 'natural_key', 'fulfilment_key'),
    differ('stage_statuses', 'dim_status', 'natural_key', 'status_key'),
    differ('stage_promotions', 'dim_promotion', 'promotion_id', 'promotion_key'),
  ].join(' + ')} as key_mismatches`;
}

/** The day's fact rows are written into a new table shaped like the fact, then published. */
export function createLoadTableSql(s: string): string {
  return `create table ${s}.${LOAD_TABLE} (like ${s}.fact_order_lines)`;
}

/** Publishing by replacement: delete the (dataset, dt) from the fact, insert the new rows, drop the table. */
export function replaceFactSql(s: string): string[] {
  const cols = FACT_COLUMNS.join(', ');
  return [
    `delete from ${s}.fact_order_lines where dataset = $1 and dt = $2::date`,
    `insert into ${s}.fact_order_lines (${cols}) select ${cols} from ${s}.${LOAD_TABLE} where dataset = $1`,
    `drop table ${s}.${LOAD_TABLE}`,
  ];
}

/**
 * One row on the published fact rows of ($1 dataset, $2 dt): counts, exact sums (as text), and the
 * (order line, promotion) pairs the bridge implies (each line with a promotion group counts the
 * group's size), all in one scan of the date's rows.
 */
export function reconcileSql(s: string): string {
  const sum = (c: string) =>
    `cast(coalesce(sum(f.${c}), 0) as varchar(32)) as ${c === 'amount' ? 'amount' : c.replace('_amount', '')}_sum`;
  const unknown = (k: string) => `sum(case when f.${k}_key = 0 then 1 else 0 end) as unknown_${k}`;
  return `select count(*) as fact_rows, ${['amount', 'gross_amount', 'realised_amount', 'lost_amount'].map(sum).join(', ')},
      coalesce(sum(f.qty), 0) as qty_sum, ${['product', 'location', 'fulfilment', 'status'].map(unknown).join(', ')},
      coalesce(sum(g.group_size), 0) as bridge_pairs
    from ${s}.fact_order_lines as f
    left join (select promotion_group_key, max(group_size) as group_size
               from ${s}.bridge_order_line_promotion group by promotion_group_key) as g
      on g.promotion_group_key = f.promotion_group_key and f.promotion_group_key <> 0
    where f.dataset = $1 and f.dt = $2::date`;
}

/** The first n values, n being the highest $n placeholder the statement uses (pg wants no more). */
export function bind(sql: string, values: unknown[]): unknown[] {
  const used = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  return values.slice(0, Math.max(0, ...used));
}
