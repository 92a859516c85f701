-- The statements of one warehouse-load of a (dataset, dt) on Redshift, in order, inside one transaction.
-- Generated from tasks/src/warehouse/*-sql.ts by `make sql-render`; parameters: dimension statements $1 = dt,
-- fact statements $1 dataset, $2 dt, $3 date_key.

create temp table stage_order_lines (dataset varchar(4096), dt date, order_id varchar(4096), sku varchar(4096), source_index bigint, order_date date, status varchar(4096), status_bucket varchar(4096), fulfilment varchar(4096), sales_channel varchar(4096), ship_service_level varchar(4096), style varchar(4096), asin varchar(4096), category varchar(4096), size varchar(4096), courier_status varchar(4096), qty int, currency varchar(4096), amount numeric(12,2), gross_amount numeric(12,2), realised_amount numeric(12,2), lost_amount numeric(12,2), ship_city varchar(4096), ship_city_raw varchar(4096), ship_state varchar(4096), ship_state_raw varchar(4096), ship_postal_code varchar(4096), ship_postal_code_raw varchar(4096), ship_country varchar(4096), promotion_ids super, has_promotion boolean, promo_count int, b2b boolean, fulfilled_by varchar(4096), is_non_amazon boolean, is_cancelled boolean, dq_flags super, kafka_partition int, kafka_offset bigint);

copy stage_order_lines from 's3://sales-pipeline/warehouse/copy-manifests/dataset=kaggle-sample/dt=2022-04-30/run.manifest' iam_role 'arn:aws:iam::123456789012:role/redshift-copy' format as parquet serializetojson manifest;

create temp table stage_promotion_members as
  select distinct json_serialize(s.promotion_ids) as ids, p::varchar(256) as promotion_id
  from stage_order_lines as s, s.promotion_ids as p;

create temp table stage_promotion_sets as
  select ids, strtol(substring(md5(canonical), 1, 15), 16) as promotion_group_key, size
  from (
  select ids, listagg(promotion_id, ',') within group (order by promotion_id) as canonical,
  count(*) as size
  from stage_promotion_members group by ids
  ) as c;

create temp table stage_products as
  select sku, style, asin, category, size from (
  select sku, style, asin, category, size,
  row_number() over (partition by sku order by style, asin, category, size) as rn
  from (select distinct sku, style, asin, category, size from stage_order_lines) as v
  ) as r where rn = 1;

update sales.dim_product set
  style = case when dim_product.attributes_as_of <= $1::date then p.style else dim_product.style end,
  asin = case when dim_product.attributes_as_of <= $1::date then p.asin else dim_product.asin end,
  category = case when dim_product.attributes_as_of <= $1::date then p.category else dim_product.category end,
  size = case when dim_product.attributes_as_of <= $1::date then p.size else dim_product.size end,
  attributes_as_of = greatest(dim_product.attributes_as_of, $1::date),
  first_seen_dt = least(dim_product.first_seen_dt, $1::date),
  last_seen_dt = greatest(dim_product.last_seen_dt, $1::date)
  from stage_products as p where dim_product.sku = p.sku;

insert into sales.dim_product
  (product_key, sku, style, asin, category, size, attributes_as_of, first_seen_dt, last_seen_dt)
  select strtol(substring(md5(p.sku), 1, 15), 16), p.sku, p.style, p.asin, p.category, p.size, $1::date, $1::date, $1::date
  from stage_products as p
  where not exists (select 1 from sales.dim_product as x where x.sku = p.sku);

insert into sales.dim_location
  (location_key, natural_key, postal_code, city, state, country, pin_zone, region)
  select strtol(substring(md5(natural_key), 1, 15), 16), natural_key, postal_code, city, state, country, pin_zone, case when pin_zone in (1, 2) then 'North' when pin_zone in (3, 4) then 'West'
  when pin_zone in (5, 6) then 'South' when pin_zone in (7, 8) then 'East'
  when pin_zone = 9 then 'Army Postal Service' else 'Unknown' end
  from (
  select natural_key, postal_code, city, state, country, coalesce(position(substring(postal_code, 1, 1) in '123456789'), 0) as pin_zone
  from (select distinct coalesce(ship_postal_code, chr(30)) || chr(31) || coalesce(ship_city, chr(30)) || chr(31) || coalesce(ship_state, chr(30)) || chr(31) || coalesce(ship_country, chr(30)) as natural_key, ship_postal_code as postal_code,
  ship_city as city, ship_state as state, ship_country as country
  from stage_order_lines where not (ship_postal_code is null and ship_city is null and ship_state is null and ship_country is null)) as v
  ) as z
  where not exists (select 1 from sales.dim_location as x where x.natural_key = z.natural_key);

insert into sales.dim_fulfilment
  (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by)
  select strtol(substring(md5(natural_key), 1, 15), 16), natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by
  from (select distinct coalesce(fulfilment, chr(30)) || chr(31) || coalesce(sales_channel, chr(30)) || chr(31) || coalesce(ship_service_level, chr(30)) || chr(31) || coalesce(fulfilled_by, chr(30)) as natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by
  from stage_order_lines where not (fulfilment is null and sales_channel is null and ship_service_level is null and fulfilled_by is null)) as v
  where not exists (select 1 from sales.dim_fulfilment as x where x.natural_key = v.natural_key);

insert into sales.dim_status (status_key, natural_key, status, courier_status, status_bucket)
  select strtol(substring(md5(natural_key), 1, 15), 16), natural_key, status, courier_status, status_bucket
  from (select distinct coalesce(status, chr(30)) || chr(31) || coalesce(courier_status, chr(30)) || chr(31) || coalesce(status_bucket, chr(30)) as natural_key, status, courier_status, status_bucket from stage_order_lines) as v
  where not exists (select 1 from sales.dim_status as x where x.natural_key = v.natural_key);

insert into sales.dim_promotion (promotion_key, promotion_id, promotion_type)
  select strtol(substring(md5(promotion_id), 1, 15), 16), promotion_id, case when promotion_id like 'Amazon PLCC Free-Financing%' then 'plcc_free_financing'
  when promotion_id like 'IN Core Free Shipping%' then 'free_shipping'
  when promotion_id like 'VPC-%' then 'voucher' when promotion_id like 'Duplicated %' then 'duplicated'
  when promotion_id like 'Subscribe and Save%' then 'subscribe_and_save' else 'other' end
  from (select distinct promotion_id from (select ps.promotion_group_key, ps.size, m.promotion_id from stage_promotion_members as m join stage_promotion_sets as ps on ps.ids = m.ids) as m) as v
  where not exists (select 1 from sales.dim_promotion as x where x.promotion_id = v.promotion_id);

insert into sales.bridge_order_line_promotion (promotion_group_key, promotion_key, group_size, weighting_factor)
  select m.promotion_group_key, strtol(substring(md5(m.promotion_id), 1, 15), 16), m.size, round(1.0 / m.size, 6)
  from (select ps.promotion_group_key, ps.size, m.promotion_id from stage_promotion_members as m join stage_promotion_sets as ps on ps.ids = m.ids) as m
  where not exists (
  select 1 from sales.bridge_order_line_promotion as x where x.promotion_group_key = m.promotion_group_key);

delete from sales.fact_order_lines where dataset = $1 and dt = $2::date;

insert into sales.fact_order_lines
  (dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key,
  promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count,
  is_b2b, is_cancelled, is_non_amazon)
  select s.dataset, s.dt, s.order_id, s.sku, $3::int, coalesce(p.product_key, 0),
  coalesce(l.location_key, 0), coalesce(f.fulfilment_key, 0), coalesce(st.status_key, 0),
  coalesce(ps.promotion_group_key, 0), s.qty, s.amount, s.gross_amount, s.realised_amount,
  s.lost_amount, s.promo_count, s.b2b, s.is_cancelled, s.is_non_amazon
  from stage_order_lines as s
  left join sales.dim_product as p on p.sku = s.sku
  left join sales.dim_location as l on l.natural_key = coalesce(s.ship_postal_code, chr(30)) || chr(31) || coalesce(s.ship_city, chr(30)) || chr(31) || coalesce(s.ship_state, chr(30)) || chr(31) || coalesce(s.ship_country, chr(30))
  left join sales.dim_fulfilment as f on f.natural_key = coalesce(s.fulfilment, chr(30)) || chr(31) || coalesce(s.sales_channel, chr(30)) || chr(31) || coalesce(s.ship_service_level, chr(30)) || chr(31) || coalesce(s.fulfilled_by, chr(30))
  left join sales.dim_status as st on st.natural_key = coalesce(s.status, chr(30)) || chr(31) || coalesce(s.courier_status, chr(30)) || chr(31) || coalesce(s.status_bucket, chr(30))
  left join stage_promotion_sets as ps on ps.ids = json_serialize(s.promotion_ids)
  where s.dataset = $1 and s.dt = $2::date;

select
  (select count(*) from stage_order_lines) as stage_rows,
  f.fact_rows, f.amount_sum, f.gross_sum, f.realised_sum, f.lost_sum, f.qty_sum, f.unknown_product,
  f.unknown_location, f.unknown_fulfilment, f.unknown_status,
  (select count(*) from stage_order_lines where ship_postal_code is null and ship_city is null and ship_state is null and ship_country is null) as stage_no_location,
  (select count(*) from stage_order_lines where fulfilment is null and sales_channel is null and ship_service_level is null and fulfilled_by is null) as stage_no_fulfilment,
  (select coalesce(sum(x.lines * g.group_size), 0)
  from (select promotion_group_key, count(*) as lines from sales.fact_order_lines
  where dataset = $1 and dt = $2::date and promotion_group_key <> 0 group by promotion_group_key) as x
  join (select promotion_group_key, max(group_size) as group_size
  from sales.bridge_order_line_promotion group by promotion_group_key) as g
  on g.promotion_group_key = x.promotion_group_key) as bridge_pairs
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
  from sales.fact_order_lines where dataset = $1 and dt = $2::date
  ) as f;
