-- The star schema (PostgreSQL 15).
-- Generated from tasks/src/warehouse/model*.ts by `make sql-render`: edit the model, not this file.
-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.

-- dim_date: One row per calendar day of every year the data touches, with Indian public holidays.
create table dim_date (
  date_key int not null, -- YYYYMMDD: readable and ordered like the date
  full_date date, -- NULL only on the unknown member
  day_of_month smallint not null, -- 1..31
  day_name varchar(9) not null, -- Monday..Sunday
  iso_day_of_week smallint not null, -- 1 = Monday .. 7 = Sunday
  is_weekend boolean not null, -- Saturday or Sunday
  iso_week smallint not null, -- ISO 8601 week number
  iso_week_year smallint not null, -- the year the ISO week belongs to
  week_start date, -- Monday of the ISO week
  month smallint not null, -- 1..12
  month_name varchar(9) not null, -- January..December
  year_month varchar(7) not null, -- YYYY-MM, for grouping and labels
  quarter smallint not null, -- 1..4
  year smallint not null, -- calendar year
  is_public_holiday boolean not null, -- a gazetted central-government holiday
  holiday_name varchar(96), -- name as gazetted
  holidays_known boolean not null, -- true when the holiday list of that year is loaded (2022); false: is_public_holiday means nothing
  primary key (date_key)
);
-- dim_date_full_date_uq: one row per day.
create unique index dim_date_full_date_uq on dim_date (full_date);

-- dim_product: One row per SKU; type 1: attributes are those of the latest order date seen (see
-- docs/warehouse.md).
create table dim_product (
  product_key bigint not null, -- hash of sku
  sku varchar(64), -- natural key; NULL only on the unknown member
  style varchar(32), -- the SKU prefix
  asin varchar(16), -- Amazon listing id
  category varchar(32), -- as in the source (kurta lower case)
  size varchar(8), -- XS..6XL, Free
  attributes_as_of date, -- order date the attributes come from
  first_seen_dt date, -- earliest order date loaded
  last_seen_dt date, -- latest order date loaded
  primary key (product_key)
);
-- dim_product_sku_uq: loader lookup by SKU.
create unique index dim_product_sku_uq on dim_product (sku);

-- dim_location: One row per shipping address (postal code, city, state, country) with the PIN-zone
-- region.
create table dim_location (
  location_key bigint not null, -- hash of natural_key
  natural_key varchar(512), -- the four parts joined; NULL on unknown
  postal_code varchar(6), -- 6-digit PIN, NULL when silver had none
  city varchar(128), -- normalised city
  state varchar(64), -- one of the 36 states/UTs
  country varchar(8), -- IN
  pin_zone smallint not null, -- first PIN digit 1..9, 0 when no PIN
  region varchar(24) not null, -- North, West, South, East, Army Postal Service, Unknown
  primary key (location_key)
);
-- dim_location_nk_uq: loader lookup.
create unique index dim_location_nk_uq on dim_location (natural_key);

-- dim_fulfilment: How a line was sold and shipped: a handful of combinations.
create table dim_fulfilment (
  fulfilment_key bigint not null, -- hash of natural_key
  natural_key varchar(256), -- the four parts joined; NULL on unknown
  fulfilment varchar(16), -- Amazon, Merchant
  sales_channel varchar(16), -- Amazon.in, Non-Amazon
  ship_service_level varchar(16), -- Expedited, Standard
  fulfilled_by varchar(32), -- Easy Ship exactly for Merchant lines
  primary key (fulfilment_key)
);
-- dim_fulfilment_nk_uq: loader lookup.
create unique index dim_fulfilment_nk_uq on dim_fulfilment (natural_key);

-- dim_status: Order status, courier status and the status bucket the revenue rules use.
create table dim_status (
  status_key bigint not null, -- hash of natural_key
  natural_key varchar(256), -- the three parts joined; NULL on unknown
  status varchar(64), -- raw status (13 values)
  courier_status varchar(32), -- Shipped, Unshipped, Cancelled or NULL
  status_bucket varchar(16), -- realised, cancelled, returned, ...
  primary key (status_key)
);
-- dim_status_nk_uq: loader lookup.
create unique index dim_status_nk_uq on dim_status (natural_key);

-- dim_promotion: One row per promotion id.
create table dim_promotion (
  promotion_key bigint not null, -- hash of promotion_id
  promotion_id varchar(256), -- natural key; NULL on unknown
  promotion_type varchar(32) not null, -- from the id prefix: plcc_free_financing, free_shipping, voucher, duplicated, subscribe_and_save, other
  primary key (promotion_key)
);
-- dim_promotion_id_uq: loader lookup.
create unique index dim_promotion_id_uq on dim_promotion (promotion_id);

-- bridge_order_line_promotion: Order line <-> promotion, through the line promotion group (the set
-- of ids a line carries): each distinct set is stored once, not once per line.
create table bridge_order_line_promotion (
  promotion_group_key bigint not null, -- hash of the sorted distinct ids (fact_order_lines has it)
  promotion_key bigint not null, -- one promotion of the group
  group_size smallint not null, -- distinct promotions in the group
  weighting_factor numeric(9,6) not null, -- 1 / group_size: allocates a line amount over its promotions
  primary key (promotion_group_key, promotion_key)
);

-- fact_order_lines: One row per order line (dataset, order_id, sku); a load replaces one (dataset,
-- dt) at a time.
-- Partitioning: monthly range partitions on dt: analysis queries over a month or a quarter read
-- only those partitions, and a load touches one partition.
create table fact_order_lines (
  dataset varchar(64) not null, -- real extract and generated data never mix
  dt date not null, -- order date = silver partition
  order_id varchar(32) not null, -- degenerate dimension
  sku varchar(64) not null, -- part of the grain; product_key carries the attributes
  date_key int not null, -- dim_date (YYYYMMDD of dt)
  product_key bigint not null, -- dim_product
  location_key bigint not null, -- dim_location, 0 when the address is missing
  fulfilment_key bigint not null, -- dim_fulfilment
  status_key bigint not null, -- dim_status
  promotion_group_key bigint not null, -- bridge_order_line_promotion; 0 = no promotion
  qty int not null, -- units on the line
  amount numeric(12,2), -- line total in INR as sold (NULL = unknown)
  gross_amount numeric(12,2) not null, -- coalesce(amount, 0), 0 for Non-Amazon
  realised_amount numeric(12,2) not null, -- gross_amount of realised lines
  lost_amount numeric(12,2) not null, -- gross_amount of cancelled lines
  promo_count int not null, -- promotion ids on the line
  is_b2b boolean not null, -- business customer
  is_cancelled boolean not null, -- status bucket cancelled
  is_non_amazon boolean not null, -- sales channel Non-Amazon (no revenue)
  primary key (dataset, dt, order_id, sku)
) partition by range (dt);
-- fact_order_lines_product_ix: top_products.sql: the products of one category, then their lines in
-- the date range.
create index fact_order_lines_product_ix on fact_order_lines (dataset, product_key, dt);

-- load_audit: One row per warehouse-load run of a (dataset, dt): what silver promised and what the
-- fact holds.
create table load_audit (
  run_id varchar(160) not null, -- the step run id
  dataset varchar(64) not null, -- dataset loaded
  dt date not null, -- partition loaded
  status varchar(16) not null, -- succeeded or failed (a failed load rolled back)
  stage_method varchar(16) not null, -- copy (the step) or insert (the benchmark peer)
  silver_files int not null, -- Parquet files read
  manifest_rows bigint, -- silver_rows of _manifest.json
  parquet_rows bigint, -- rows read from the Parquet files
  fact_rows bigint, -- rows in the fact partition after the load
  manifest_amount_sum numeric(14,2), -- silver_amount_sum
  parquet_amount_sum numeric(14,2), -- sum(amount) of the Parquet
  fact_amount_sum numeric(14,2), -- sum(amount) of the fact partition
  fact_realised_sum numeric(14,2), -- sum(realised_amount)
  started_at timestamptz not null, -- load start
  finished_at timestamptz not null, -- commit or rollback
  message varchar(1024), -- why a load failed
  primary key (run_id, dataset, dt)
);
-- load_audit_partition_ix: latest load of a date.
create index load_audit_partition_ix on load_audit (dataset, dt);
