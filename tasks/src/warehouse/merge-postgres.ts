import { POSTGRES_STAGE_COLUMNS } from './copy-text';
import { bridgePairsSql, FULFILMENT, LOCATION, PIN_ZONE, PROMOTION_TYPE, REGION, STATUS } from './merge-sql';
import { hashKey, naturalKey } from './stage-sql';

/**
 * The local (PostgreSQL) load's SQL. Silver is staged as numbered members: each line carries the
 * numbers of its members (stage_order_lines), each distinct member travels once (stage_products,
 * ...), so the dimension statements work on a few hundred rows and the fact insert joins small
 * integer keys. Surrogate keys are still the hash of the natural key, computed here in SQL as on
 * Redshift (merge-sql.ts), so both dialects and any load order give the same keys.
 * Dimension statements bind $1 = dt; fact statements $1 dataset, $2 dt, $3 date_key.
 */
export const PG_STAGE = 'stage_order_lines';
const hash = (text: string) => hashKey('postgres', text);
const nk = (cols: string[], alias = 'm.') => naturalKey(cols.map((c) => `${alias}${c}`));
const text = (cols: readonly string[]) => cols.map((c) => `${c} text`).join(', ');

/** The member tables and their columns (silver names), in the order the loader stages them. */
export const MEMBER_TABLES = {
  products: { table: 'stage_products', columns: ['sku', 'style', 'asin', 'category', 'size'] },
  locations: { table: 'stage_locations', columns: LOCATION },
  fulfilments: { table: 'stage_fulfilments', columns: FULFILMENT },
  statuses: { table: 'stage_statuses', columns: STATUS },
  promotions: { table: 'stage_promotion_lists', columns: ['ids'] },
} as const;

const stageTypes: Record<(typeof POSTGRES_STAGE_COLUMNS)[number], string> = {
  order_id: 'text',
  product: 'int',
  location: 'int',
  fulfilment: 'int',
  status: 'int',
  promotion_list: 'int',
  qty: 'int',
  amount: 'numeric(12,2)',
  gross_amount: 'numeric(12,2)',
  realised_amount: 'numeric(12,2)',
  lost_amount: 'numeric(12,2)',
  promo_count: 'int',
  b2b: 'boolean',
  is_non_amazon: 'boolean',
  is_cancelled: 'boolean',
};

/**
 * Temporary tables that live as long as the connection and are emptied at each commit: created
 * once, not once per day (catalog changes cost more than a small day's rows). No indexes.
 */
export function stageTablesSql(): string[] {
  const temp = (name: string, cols: string) =>
    `create temp table if not exists ${name} (${cols}) on commit delete rows`;
  const m = MEMBER_TABLES;
  return [
    temp(PG_STAGE, POSTGRES_STAGE_COLUMNS.map((c) => `${c} ${stageTypes[c]}`).join(', ')),
    temp(m.products.table, `member int, ${text(m.products.columns)}`),
    temp(m.locations.table, `member int, ${text(m.locations.columns)}`),
    temp(m.fulfilments.table, `member int, ${text(m.fulfilments.columns)}`),
    temp(m.statuses.table, `member int, ${text(m.statuses.columns)}`),
    temp(m.promotions.table, 'member int, ids text[]'),
    temp('stage_promotion_sets', 'member int, promotion_group_key bigint, size int'),
  ];
}

/** Type 1: one deterministic version per SKU and day, the first of its variants in sort order. */
const PRODUCTS = `(select sku, style, asin, category, size from (
    select sku, style, asin, category, size,
           row_number() over (partition by sku order by style, asin, category, size) as rn
    from stage_products) as r where rn = 1)`;

/** Dimension upserts, in order, from the day's members only. `s` is the schema (validated). */
export function postgresDimensionSql(s: string): string[] {
  const newer = 'd.attributes_as_of <= $1::date';
  const pick = (c: string) => `${c} = case when ${newer} then p.${c} else d.${c} end`;
  return [
    // An older date never overwrites a newer one; members the day does not change are not rewritten.
    `update ${s}.dim_product as d set
       ${['style', 'asin', 'category', 'size'].map(pick).join(', ')},
       attributes_as_of = greatest(d.attributes_as_of, $1::date),
       first_seen_dt = least(d.first_seen_dt, $1::date),
       last_seen_dt = greatest(d.last_seen_dt, $1::date)
     from ${PRODUCTS} as p
     where d.sku = p.sku and not (d.attributes_as_of >= $1::date and d.first_seen_dt <= $1::date
       and d.last_seen_dt >= $1::date and (d.attributes_as_of > $1::date
       or (d.style, d.asin, d.category, d.size) is not distinct from (p.style, p.asin, p.category, p.size)))`,
    `insert into ${s}.dim_product
       (product_key, sku, style, asin, category, size, attributes_as_of, first_seen_dt, last_seen_dt)
     select ${hash('p.sku')}, p.sku, p.style, p.asin, p.category, p.size, $1::date, $1::date, $1::date
     from ${PRODUCTS} as p
     where not exists (select 1 from ${s}.dim_product as x where x.sku = p.sku)`,
    `insert into ${s}.dim_location
       (location_key, natural_key, postal_code, city, state, country, pin_zone, region)
     select ${hash('natural_key')}, natural_key, postal_code, city, state, country, pin_zone, ${REGION}
     from (
       select natural_key, postal_code, city, state, country, ${PIN_ZONE} as pin_zone
       from (select ${nk(LOCATION)} as natural_key, m.ship_postal_code as postal_code, m.ship_city as city,
                    m.ship_state as state, m.ship_country as country from stage_locations as m) as v
     ) as z
     where not exists (select 1 from ${s}.dim_location as x where x.natural_key = z.natural_key)`,
    `insert into ${s}.dim_fulfilment
       (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by)
     select ${hash('natural_key')}, natural_key, ${FULFILMENT.join(', ')}
     from (select ${nk(FULFILMENT)} as natural_key, m.* from stage_fulfilments as m) as v
     where not exists (select 1 from ${s}.dim_fulfilment as x where x.natural_key = v.natural_key)`,
    `insert into ${s}.dim_status (status_key, natural_key, status, courier_status, status_bucket)
     select ${hash('natural_key')}, natural_key, ${STATUS.join(', ')}
     from (select ${nk(STATUS)} as natural_key, m.* from stage_statuses as m) as v
     where not exists (select 1 from ${s}.dim_status as x where x.natural_key = v.natural_key)`,
    // A set is keyed by its sorted distinct ids joined by commas (silver split them on commas).
    `insert into stage_promotion_sets (member, promotion_group_key, size)
     select member, ${hash('canonical')}, size from (
       select member, (select string_agg(distinct x, ',' order by x) from unnest(ids) as x) as canonical,
              (select count(distinct x) from unnest(ids) as x) as size
       from stage_promotion_lists) as c`,
    `insert into ${s}.dim_promotion (promotion_key, promotion_id, promotion_type)
     select ${hash('promotion_id')}, promotion_id, ${PROMOTION_TYPE}
     from (select distinct x as promotion_id from stage_promotion_lists, unnest(ids) as x) as v
     where not exists (select 1 from ${s}.dim_promotion as x where x.promotion_id = v.promotion_id)`,
    `insert into ${s}.bridge_order_line_promotion (promotion_group_key, promotion_key, group_size, weighting_factor)
     select m.promotion_group_key, ${hash('m.promotion_id')}, m.size, round(1.0 / m.size, 6)
     from (select distinct ps.promotion_group_key, ps.size, x as promotion_id
           from stage_promotion_sets as ps join stage_promotion_lists as l on l.member = ps.member,
                unnest(l.ids) as x) as m
     where not exists (
       select 1 from ${s}.bridge_order_line_promotion as x where x.promotion_group_key = m.promotion_group_key)`,
  ];
}

/**
 * Replaces the fact rows of ($1 dataset, $2 dt): delete, then one insert straight into the month's
 * partition, members resolved to their keys once per member, lines in primary-key order (sorted
 * inserts keep the index pages they touch few and hot).
 */
export function postgresFactSql(s: string, partition: string): string[] {
  const keyOf = (table: string, dim: string, key: string, cols: readonly string[]) =>
    `(select m.member, d.${key} from ${table} as m join ${s}.${dim} as d on d.natural_key = ${nk([...cols])})`;
  return [
    `delete from ${s}.fact_order_lines where dataset = $1 and dt = $2::date`,
    `insert into ${s}.${partition}
       (dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key,
        promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count,
        is_b2b, is_cancelled, is_non_amazon)
     select $1, $2::date, s.order_id, p.sku, $3::int, coalesce(p.product_key, 0),
            coalesce(l.location_key, 0), coalesce(f.fulfilment_key, 0), coalesce(st.status_key, 0),
            coalesce(ps.promotion_group_key, 0), s.qty, s.amount, s.gross_amount, s.realised_amount,
            s.lost_amount, s.promo_count, s.b2b, s.is_cancelled, s.is_non_amazon
     from ${PG_STAGE} as s
     left join (select m.member, m.sku, d.product_key from stage_products as m
                left join ${s}.dim_product as d on d.sku = m.sku) as p on p.member = s.product
     left join ${keyOf('stage_locations', 'dim_location', 'location_key', LOCATION)} as l on l.member = s.location
     left join ${keyOf('stage_fulfilments', 'dim_fulfilment', 'fulfilment_key', FULFILMENT)} as f
       on f.member = s.fulfilment
     left join ${keyOf('stage_statuses', 'dim_status', 'status_key', STATUS)} as st on st.member = s.status
     left join stage_promotion_sets as ps on ps.member = s.promotion_list
     order by s.order_id collate "C", p.sku collate "C"`,
  ];
}

/**
 * One row comparing the stage with the fact after the insert (the shape reconcile.ts reads):
 * counts and exact sums, bridge pairs, and lines on the unknown members versus staged lines
 * lacking the attributes (member 0).
 */
export function postgresReconcileSql(s: string): string {
  const fact = `${s}.fact_order_lines`;
  return `select st.stage_rows, st.stage_no_location, st.stage_no_fulfilment,
    f.fact_rows, f.amount_sum, f.gross_sum, f.realised_sum, f.lost_sum, f.qty_sum, f.unknown_product,
    f.unknown_location, f.unknown_fulfilment, f.unknown_status,
    ${bridgePairsSql(s)}
  from (select count(*) as stage_rows, count(*) filter (where location = 0) as stage_no_location,
               count(*) filter (where fulfilment = 0) as stage_no_fulfilment from ${PG_STAGE}) as st,
  (select count(*) as fact_rows,
      coalesce(sum(amount), 0)::text as amount_sum, coalesce(sum(gross_amount), 0)::text as gross_sum,
      coalesce(sum(realised_amount), 0)::text as realised_sum, coalesce(sum(lost_amount), 0)::text as lost_sum,
      coalesce(sum(qty), 0) as qty_sum,
      count(*) filter (where product_key = 0) as unknown_product,
      count(*) filter (where location_key = 0) as unknown_location,
      count(*) filter (where fulfilment_key = 0) as unknown_fulfilment,
      count(*) filter (where status_key = 0) as unknown_status
   from ${fact} where dataset = $1 and dt = $2::date) as f`;
}
