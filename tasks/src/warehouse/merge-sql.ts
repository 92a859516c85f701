import { hashKey, MEMBERS_WITH_GROUP_KEY, naturalKey, PROMO_SETS, PROMOTION_SET_JOIN, STAGE } from './stage-sql';

/**
 * The merge half of a Redshift load: upsert every dimension from the staged day, then replace
 * the fact partition. The local PostgreSQL load runs the same logic from numbered members
 * (merge-postgres.ts), with the same natural keys, key hash and type 1 rule.
 * Dimension statements bind $1 = dt; fact statements $1 dataset, $2 dt, $3 date_key. Members are
 * only ever added, and their keys are hashes of natural keys, so loading dates twice or out of
 * order gives identical tables.
 */
const d = 'redshift';
export const LOCATION = ['ship_postal_code', 'ship_city', 'ship_state', 'ship_country'];
export const FULFILMENT = ['fulfilment', 'sales_channel', 'ship_service_level', 'fulfilled_by'];
export const STATUS = ['status', 'courier_status', 'status_bucket'];
const allNull = (cols: string[], alias = '') => cols.map((c) => `${alias}${c} is null`).join(' and ');

/** India Post PIN zones: the first digit of a PIN names the region (9 = Army Postal Service). */
export const PIN_ZONE = `coalesce(position(substring(postal_code, 1, 1) in '123456789'), 0)`;
export const REGION = `case when pin_zone in (1, 2) then 'North' when pin_zone in (3, 4) then 'West'
  when pin_zone in (5, 6) then 'South' when pin_zone in (7, 8) then 'East'
  when pin_zone = 9 then 'Army Postal Service' else 'Unknown' end`;
export const PROMOTION_TYPE = `case when promotion_id like 'Amazon PLCC Free-Financing%' then 'plcc_free_financing'
  when promotion_id like 'IN Core Free Shipping%' then 'free_shipping'
  when promotion_id like 'VPC-%' then 'voucher' when promotion_id like 'Duplicated %' then 'duplicated'
  when promotion_id like 'Subscribe and Save%' then 'subscribe_and_save' else 'other' end`;

/** Dimension upserts, in order. `s` is the schema (validated identifier). */
export function dimensionSql(s: string): string[] {
  const nk = (cols: string[], alias = '') => naturalKey(cols.map((c) => `${alias}${c}`));
  return [
    // Type 1 product: one deterministic version per SKU and day; the latest order date wins.
    `create temp table stage_products as
     select sku, style, asin, category, size from (
       select sku, style, asin, category, size,
              row_number() over (partition by sku order by style, asin, category, size) as rn
       from (select distinct sku, style, asin, category, size from ${STAGE}) as v
     ) as r where rn = 1`,
    `update ${s}.dim_product set
       style = case when dim_product.attributes_as_of <= $1::date then p.style else dim_product.style end,
       asin = case when dim_product.attributes_as_of <= $1::date then p.asin else dim_product.asin end,
       category = case when dim_product.attributes_as_of <= $1::date then p.category else dim_product.category end,
       size = case when dim_product.attributes_as_of <= $1::date then p.size else dim_product.size end,
       attributes_as_of = greatest(dim_product.attributes_as_of, $1::date),
       first_seen_dt = least(dim_product.first_seen_dt, $1::date),
       last_seen_dt = greatest(dim_product.last_seen_dt, $1::date)
     from stage_products as p where dim_product.sku = p.sku`,
    `insert into ${s}.dim_product
       (product_key, sku, style, asin, category, size, attributes_as_of, first_seen_dt, last_seen_dt)
     select ${hashKey(d, 'p.sku')}, p.sku, p.style, p.asin, p.category, p.size, $1::date, $1::date, $1::date
     from stage_products as p
     where not exists (select 1 from ${s}.dim_product as x where x.sku = p.sku)`,
    `insert into ${s}.dim_location
       (location_key, natural_key, postal_code, city, state, country, pin_zone, region)
     select ${hashKey(d, 'natural_key')}, natural_key, postal_code, city, state, country, pin_zone, ${REGION}
     from (
       select natural_key, postal_code, city, state, country, ${PIN_ZONE} as pin_zone
       from (select distinct ${nk(LOCATION)} as natural_key, ship_postal_code as postal_code,
                    ship_city as city, ship_state as state, ship_country as country
             from ${STAGE} where not (${allNull(LOCATION)})) as v
     ) as z
     where not exists (select 1 from ${s}.dim_location as x where x.natural_key = z.natural_key)`,
    `insert into ${s}.dim_fulfilment
       (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by)
     select ${hashKey(d, 'natural_key')}, natural_key, ${FULFILMENT.join(', ')}
     from (select distinct ${nk(FULFILMENT)} as natural_key, ${FULFILMENT.join(', ')}
           from ${STAGE} where not (${allNull(FULFILMENT)})) as v
     where not exists (select 1 from ${s}.dim_fulfilment as x where x.natural_key = v.natural_key)`,
    `insert into ${s}.dim_status (status_key, natural_key, status, courier_status, status_bucket)
     select ${hashKey(d, 'natural_key')}, natural_key, ${STATUS.join(', ')}
     from (select distinct ${nk(STATUS)} as natural_key, ${STATUS.join(', ')} from ${STAGE}) as v
     where not exists (select 1 from ${s}.dim_status as x where x.natural_key = v.natural_key)`,
    `insert into ${s}.dim_promotion (promotion_key, promotion_id, promotion_type)
     select ${hashKey(d, 'promotion_id')}, promotion_id, ${PROMOTION_TYPE}
     from (select distinct promotion_id from (${MEMBERS_WITH_GROUP_KEY}) as m) as v
     where not exists (select 1 from ${s}.dim_promotion as x where x.promotion_id = v.promotion_id)`,
    `insert into ${s}.bridge_order_line_promotion (promotion_group_key, promotion_key, group_size, weighting_factor)
     select m.promotion_group_key, ${hashKey(d, 'm.promotion_id')}, m.size, round(1.0 / m.size, 6)
     from (${MEMBERS_WITH_GROUP_KEY}) as m
     where not exists (
       select 1 from ${s}.bridge_order_line_promotion as x where x.promotion_group_key = m.promotion_group_key)`,
  ];
}

/** Replaces the fact partition of ($1 dataset, $2 dt): delete, then insert from the stage. */
export function factSql(s: string): string[] {
  const nk = (cols: string[]) => naturalKey(cols.map((c) => `s.${c}`));
  return [
    `delete from ${s}.fact_order_lines where dataset = $1 and dt = $2::date`,
    `insert into ${s}.fact_order_lines
       (dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key,
        promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count,
        is_b2b, is_cancelled, is_non_amazon)
     select s.dataset, s.dt, s.order_id, s.sku, $3::int, coalesce(p.product_key, 0),
            coalesce(l.location_key, 0), coalesce(f.fulfilment_key, 0), coalesce(st.status_key, 0),
            coalesce(ps.promotion_group_key, 0), s.qty, s.amount, s.gross_amount, s.realised_amount,
            s.lost_amount, s.promo_count, s.b2b, s.is_cancelled, s.is_non_amazon
     from ${STAGE} as s
     left join ${s}.dim_product as p on p.sku = s.sku
     left join ${s}.dim_location as l on l.natural_key = ${nk(LOCATION)}
     left join ${s}.dim_fulfilment as f on f.natural_key = ${nk(FULFILMENT)}
     left join ${s}.dim_status as st on st.natural_key = ${nk(STATUS)}
     left join ${PROMO_SETS} as ps on ${PROMOTION_SET_JOIN}
     where s.dataset = $1 and s.dt = $2::date`,
  ];
}

/**
 * The date's (order line, promotion) pairs the bridge implies: lines per promotion group times the
 * group's size. Both dialects' reconcile queries select it.
 */
export function bridgePairsSql(s: string): string {
  const fact = `${s}.fact_order_lines`;
  return `(select coalesce(sum(x.lines * g.group_size), 0)
     from (select promotion_group_key, count(*) as lines from ${fact}
           where dataset = $1 and dt = $2::date and promotion_group_key <> 0 group by promotion_group_key) as x
     join (select promotion_group_key, max(group_size) as group_size
           from ${s}.bridge_order_line_promotion group by promotion_group_key) as g
       on g.promotion_group_key = x.promotion_group_key) as bridge_pairs`;
}

/**
 * One row comparing the stage with the fact partition after the insert: counts and exact sums
 * (as text), bridge pairs, and lines on the unknown members versus staged lines lacking the
 * attributes (a line with attributes must never land on an unknown member).
 */
export function reconcileSql(s: string): string {
  const fact = `${s}.fact_order_lines`;
  return `select
    (select count(*) from ${STAGE}) as stage_rows,
    f.fact_rows, f.amount_sum, f.gross_sum, f.realised_sum, f.lost_sum, f.qty_sum, f.unknown_product,
    f.unknown_location, f.unknown_fulfilment, f.unknown_status,
    (select count(*) from ${STAGE} where ${allNull(LOCATION)}) as stage_no_location,
    (select count(*) from ${STAGE} where ${allNull(FULFILMENT)}) as stage_no_fulfilment,
    ${bridgePairsSql(s)}
  from (
    select count(*) as fact_rows,
      cast(coalesce(sum(amount), 0) as varchar(32)) as amount_sum,
      cast(coalesce(sum(gross_amount), 0) as varchar(32)) as gross_sum,
      cast(coalesce(sum(realised_amount), 0) as varchar(32)) as realised_sum,
      cast(coalesce(sum(lost_amount), 0) as varchar(32)) as lost_sum,
      coalesce(sum(qty), 0) as qty_sum,
      sum(case when product_key = 0 then 1 else 0 end) as unknown_product,
      sum(case when location_key = 0 then 1 else 0 end) as unknown_location,
      sum(case when fulfilment_key = 0 then 1 else 0 end) as unknown_fulfilment,
      sum(case when status_key = 0 then 1 else 0 end) as unknown_status
    from ${fact} where dataset = $1 and dt = $2::date
  ) as f`;
}

/** The first n values, n being the highest $n placeholder the statement uses (pg wants no more). */
export function bind(sql: string, values: unknown[]): unknown[] {
  const used = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  return values.slice(0, Math.max(0, ...used));
}
