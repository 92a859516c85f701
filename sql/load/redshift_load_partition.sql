-- The statements of one warehouse-load of a (dataset, dt) on Redshift, in order, inside one transaction.
-- Generated from tasks/src/warehouse/load/ and dialects/ by `make sql-render`; parameters: dimension
-- statements $1 = dt, fact statements $1 dataset, $2 dt.

lock sales.load_audit;

drop table if exists stage_products;

drop table if exists stage_locations;

drop table if exists stage_fulfilments;

drop table if exists stage_statuses;

drop table if exists stage_promotions;

drop table if exists stage_promotion_groups;

create temp table stage_products (product_key bigint, sku varchar(1024), style varchar(1024), asin varchar(1024), category varchar(1024), size varchar(1024));

create temp table stage_locations (location_key bigint, natural_key varchar(1024), ship_postal_code varchar(1024), ship_city varchar(1024), ship_state varchar(1024), ship_country varchar(1024));

create temp table stage_fulfilments (fulfilment_key bigint, natural_key varchar(1024), fulfilment varchar(1024), sales_channel varchar(1024), ship_service_level varchar(1024), fulfilled_by varchar(1024));

create temp table stage_statuses (status_key bigint, natural_key varchar(1024), status varchar(1024), courier_status varchar(1024), status_bucket varchar(1024));

create temp table stage_promotions (promotion_key bigint, promotion_id varchar(1024));

create temp table stage_promotion_groups (promotion_group_key bigint, promotion_key bigint, group_size int);

create table sales.fact_order_lines_load (like sales.fact_order_lines);

copy sales.fact_order_lines_load (dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key, promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count, is_b2b, is_cancelled, is_non_amazon) from 's3://sales-pipeline/warehouse/copy/dataset=kaggle-sample/dt=2022-04-30/run/part-' iam_role 'arn:aws:iam::123456789012:role/redshift-copy' delimiter '\t' escape gzip;

insert into stage_products (product_key, sku, style, asin, category, size) values ($1, $2, $3, $4, $5, $6);

insert into stage_locations (location_key, natural_key, ship_postal_code, ship_city, ship_state, ship_country) values ($1, $2, $3, $4, $5, $6);

insert into stage_fulfilments (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by) values ($1, $2, $3, $4, $5, $6);

insert into stage_statuses (status_key, natural_key, status, courier_status, status_bucket) values ($1, $2, $3, $4, $5);

insert into stage_promotions (promotion_key, promotion_id) values ($1, $2);

insert into stage_promotion_groups (promotion_group_key, promotion_key, group_size) values ($1, $2, $3);

update sales.dim_product set
  style = case when dim_product.attributes_as_of <= $1::date then p.style else dim_product.style end,
  asin = case when dim_product.attributes_as_of <= $1::date then p.asin else dim_product.asin end,
  category = case when dim_product.attributes_as_of <= $1::date then p.category else dim_product.category end,
  size = case when dim_product.attributes_as_of <= $1::date then p.size else dim_product.size end,
  attributes_as_of = greatest(dim_product.attributes_as_of, $1::date),
  first_seen_dt = least(dim_product.first_seen_dt, $1::date),
  last_seen_dt = greatest(dim_product.last_seen_dt, $1::date)
  from stage_products as p
  where dim_product.sku = p.sku and (dim_product.attributes_as_of < $1::date or dim_product.first_seen_dt > $1::date
  or dim_product.last_seen_dt < $1::date or (dim_product.attributes_as_of = $1::date and (coalesce(dim_product.style, chr(30)) <> coalesce(p.style, chr(30)) or coalesce(dim_product.asin, chr(30)) <> coalesce(p.asin, chr(30)) or coalesce(dim_product.category, chr(30)) <> coalesce(p.category, chr(30)) or coalesce(dim_product.size, chr(30)) <> coalesce(p.size, chr(30)))));

insert into sales.dim_product
  (product_key, sku, style, asin, category, size, attributes_as_of, first_seen_dt, last_seen_dt)
  select p.product_key, p.sku, p.style, p.asin, p.category, p.size, $1::date, $1::date, $1::date
  from stage_products as p where not exists (select 1 from sales.dim_product as x where x.sku = p.sku);

insert into sales.dim_location
  (location_key, natural_key, postal_code, city, state, country, pin_zone, region)
  select location_key, natural_key, ship_postal_code, ship_city, ship_state, ship_country, pin_zone, case when pin_zone in (1, 2) then 'North' when pin_zone in (3, 4) then 'West'
  when pin_zone in (5, 6) then 'South' when pin_zone in (7, 8) then 'East'
  when pin_zone = 9 then 'Army Postal Service' else 'Unknown' end
  from (select m.*, coalesce(position(substring(ship_postal_code, 1, 1) in '123456789'), 0) as pin_zone from stage_locations as m) as z
  where not exists (select 1 from sales.dim_location as x where x.natural_key = z.natural_key);

insert into sales.dim_fulfilment
  (fulfilment_key, natural_key, fulfilment, sales_channel, ship_service_level, fulfilled_by)
  select m.fulfilment_key, m.natural_key, m.fulfilment, m.sales_channel, m.ship_service_level, m.fulfilled_by
  from stage_fulfilments as m where not exists (select 1 from sales.dim_fulfilment as x where x.natural_key = m.natural_key);

insert into sales.dim_status (status_key, natural_key, status, courier_status, status_bucket)
  select m.status_key, m.natural_key, m.status, m.courier_status, m.status_bucket
  from stage_statuses as m where not exists (select 1 from sales.dim_status as x where x.natural_key = m.natural_key);

insert into sales.dim_promotion (promotion_key, promotion_id, promotion_type)
  select m.promotion_key, m.promotion_id, case when promotion_id like 'Amazon PLCC Free-Financing%' then 'plcc_free_financing'
  when promotion_id like 'IN Core Free Shipping%' then 'free_shipping'
  when promotion_id like 'VPC-%' then 'voucher' when promotion_id like 'Duplicated %' then 'duplicated'
  when promotion_id like 'Subscribe and Save%' then 'subscribe_and_save' else 'other' end
  from stage_promotions as m where not exists (select 1 from sales.dim_promotion as x where x.promotion_id = m.promotion_id);

insert into sales.bridge_order_line_promotion (promotion_group_key, promotion_key, group_size, weighting_factor)
  select m.promotion_group_key, m.promotion_key, m.group_size, round(1.0 / m.group_size, 6)
  from stage_promotion_groups as m where not exists (select 1 from sales.bridge_order_line_promotion as x where x.promotion_group_key = m.promotion_group_key);

select (select count(*) from stage_products as m join sales.dim_product as d on d.sku = m.sku where d.product_key <> m.product_key) + (select count(*) from stage_locations as m join sales.dim_location as d on d.natural_key = m.natural_key where d.location_key <> m.location_key) + (select count(*) from stage_fulfilments as m join sales.dim_fulfilment as d on d.natural_key = m.natural_key where d.fulfilment_key <> m.fulfilment_key) + (select count(*) from stage_statuses as m join sales.dim_status as d on d.natural_key = m.natural_key where d.status_key <> m.status_key) + (select count(*) from stage_promotions as m join sales.dim_promotion as d on d.promotion_id = m.promotion_id where d.promotion_key <> m.promotion_key) as key_mismatches;

select pg_last_copy_count() as n;

delete from sales.fact_order_lines where dataset = $1 and dt = $2::date;

insert into sales.fact_order_lines (dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key, promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count, is_b2b, is_cancelled, is_non_amazon) select dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key, promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count, is_b2b, is_cancelled, is_non_amazon from sales.fact_order_lines_load where dataset = $1;

drop table sales.fact_order_lines_load;

select count(*) as fact_rows, cast(coalesce(sum(f.amount), 0) as varchar(32)) as amount_sum, cast(coalesce(sum(f.gross_amount), 0) as varchar(32)) as gross_sum, cast(coalesce(sum(f.realised_amount), 0) as varchar(32)) as realised_sum, cast(coalesce(sum(f.lost_amount), 0) as varchar(32)) as lost_sum,
  coalesce(sum(f.qty), 0) as qty_sum, sum(case when f.product_key = 0 then 1 else 0 end) as unknown_product, sum(case when f.location_key = 0 then 1 else 0 end) as unknown_location, sum(case when f.fulfilment_key = 0 then 1 else 0 end) as unknown_fulfilment, sum(case when f.status_key = 0 then 1 else 0 end) as unknown_status,
  coalesce(sum(g.group_size), 0) as bridge_pairs
  from sales.fact_order_lines as f
  left join (select promotion_group_key, max(group_size) as group_size
  from sales.bridge_order_line_promotion group by promotion_group_key) as g
  on g.promotion_group_key = f.promotion_group_key and f.promotion_group_key <> 0
  where f.dataset = $1 and f.dt = $2::date;

drop table if exists stage_products;

drop table if exists stage_locations;

drop table if exists stage_fulfilments;

drop table if exists stage_statuses;

drop table if exists stage_promotions;

drop table if exists stage_promotion_groups;
