-- The star schema (Amazon Redshift).
-- Generated from tasks/src/warehouse/model*.ts by `make sql-render`: edit the model, not this file.
-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.

-- dim_date: One row per calendar day of every year the data touches, with Indian public holidays.
-- Distribution and sort: one row per day: small, so copied to every node (joins from the fact never
-- move rows); sorted by the natural key the loader matches on.
create table dim_date (
  date_key int not null encode raw, -- YYYYMMDD: readable and ordered like the date
  full_date date encode az64, -- NULL only on the unknown member
  day_of_month smallint not null encode az64, -- 1..31
  day_name varchar(9) not null encode zstd, -- Monday..Sunday
  iso_day_of_week smallint not null encode az64, -- 1 = Monday .. 7 = Sunday
  is_weekend boolean not null encode zstd, -- Saturday or Sunday
  iso_week smallint not null encode az64, -- ISO 8601 week number
  iso_week_year smallint not null encode az64, -- the year the ISO week belongs to
  week_start date encode az64, -- Monday of the ISO week
  month smallint not null encode az64, -- 1..12
  month_name varchar(9) not null encode zstd, -- January..December
  year_month varchar(7) not null encode zstd, -- YYYY-MM, for grouping and labels
  quarter smallint not null encode az64, -- 1..4
  year smallint not null encode az64, -- calendar year
  is_public_holiday boolean not null encode zstd, -- a gazetted central-government holiday
  holiday_name varchar(96) encode zstd, -- name as gazetted
  holidays_known boolean not null encode zstd, -- true when the holiday list of that year is loaded (2022); false: is_public_holiday means nothing
  primary key (date_key)
)
diststyle all
compound sortkey (date_key);

-- dim_product: One row per SKU; type 1: attributes are those of the latest order date seen (see
-- docs/warehouse.md).
-- Distribution and sort: ~7,200 SKUs: small, so copied to every node (joins from the fact never
-- move rows); sorted by the natural key the loader matches on.
create table dim_product (
  product_key bigint not null encode az64, -- hash of sku
  sku varchar(64) encode raw, -- natural key; NULL only on the unknown member
  style varchar(32) encode zstd, -- the SKU prefix
  asin varchar(16) encode zstd, -- Amazon listing id
  category varchar(32) encode zstd, -- as in the source (kurta lower case)
  size varchar(8) encode zstd, -- XS..6XL, Free
  attributes_as_of date encode az64, -- order date the attributes come from
  first_seen_dt date encode az64, -- earliest order date loaded
  last_seen_dt date encode az64, -- latest order date loaded
  primary key (product_key)
)
diststyle all
compound sortkey (sku);

-- dim_location: One row per shipping address (postal code, city, state, country) with the PIN-zone
-- region.
-- Distribution and sort: a few thousand addresses: small, so copied to every node (joins from the
-- fact never move rows); sorted by the natural key the loader matches on.
create table dim_location (
  location_key bigint not null encode az64, -- hash of natural_key
  natural_key varchar(512) encode raw, -- the four parts joined; NULL on unknown
  postal_code varchar(6) encode zstd, -- 6-digit PIN, NULL when silver had none
  city varchar(128) encode zstd, -- normalised city
  state varchar(64) encode zstd, -- one of the 36 states/UTs
  country varchar(8) encode zstd, -- IN
  pin_zone smallint not null encode az64, -- first PIN digit 1..9, 0 when no PIN
  region varchar(24) not null encode zstd, -- North, West, South, East, Army Postal Service, Unknown
  primary key (location_key)
)
diststyle all
compound sortkey (natural_key);

-- dim_fulfilment: How a line was sold and shipped: a handful of combinations.
-- Distribution and sort: under ten rows: copied to every node so joins from the fact stay local;
-- sorted by the loader's lookup key.
create table dim_fulfilment (
  fulfilment_key bigint not null encode az64, -- hash of natural_key
  natural_key varchar(256) encode raw, -- the four parts joined; NULL on unknown
  fulfilment varchar(16) encode zstd, -- Amazon, Merchant
  sales_channel varchar(16) encode zstd, -- Amazon.in, Non-Amazon
  ship_service_level varchar(16) encode zstd, -- Expedited, Standard
  fulfilled_by varchar(32) encode zstd, -- Easy Ship exactly for Merchant lines
  primary key (fulfilment_key)
)
diststyle all
compound sortkey (natural_key);

-- dim_status: Order status, courier status and the status bucket the revenue rules use.
-- Distribution and sort: a few dozen rows: copied to every node so joins from the fact stay local;
-- sorted by the loader's lookup key.
create table dim_status (
  status_key bigint not null encode az64, -- hash of natural_key
  natural_key varchar(256) encode raw, -- the three parts joined; NULL on unknown
  status varchar(64) encode zstd, -- raw status (13 values)
  courier_status varchar(32) encode zstd, -- Shipped, Unshipped, Cancelled or NULL
  status_bucket varchar(16) encode zstd, -- realised, cancelled, returned, ...
  primary key (status_key)
)
diststyle all
compound sortkey (natural_key);

-- dim_promotion: One row per promotion id.
-- Distribution and sort: hundreds of ids: copied to every node so joins from the fact stay local;
-- sorted by the loader's lookup key.
create table dim_promotion (
  promotion_key bigint not null encode az64, -- hash of promotion_id
  promotion_id varchar(256) encode raw, -- natural key; NULL on unknown
  promotion_type varchar(32) not null encode zstd, -- from the id prefix: plcc_free_financing, free_shipping, voucher, duplicated, subscribe_and_save, other
  primary key (promotion_key)
)
diststyle all
compound sortkey (promotion_id);

-- bridge_order_line_promotion: Order line <-> promotion, through the line promotion group (the set
-- of ids a line carries): each distinct set is stored once, not once per line.
-- Distribution and sort: a few hundred groups (289 in the sample for 38,653 line-promotion pairs):
-- copied to every node; sorted by the group key the fact joins on.
create table bridge_order_line_promotion (
  promotion_group_key bigint not null encode raw, -- hash of the sorted distinct ids (fact_order_lines has it)
  promotion_key bigint not null encode az64, -- one promotion of the group
  group_size smallint not null encode az64, -- distinct promotions in the group
  weighting_factor numeric(9,6) not null encode az64, -- 1 / group_size: allocates a line amount over its promotions
  primary key (promotion_group_key, promotion_key)
)
diststyle all
compound sortkey (promotion_group_key);

-- fact_order_lines: One row per order line (dataset, order_id, sku); a load replaces one (dataset,
-- dt) at a time.
-- Distribution and sort: every dimension is DISTSTYLE ALL, so no join needs the fact co-located
-- with anything; order_id spreads rows evenly (~1.07 lines per order) and keeps an order on one
-- slice for order-level questions. Every analysis query filters one dataset and a dt range, and a
-- load deletes one (dataset, dt): the compound sort key (dataset, dt) lets zone maps skip all other
-- blocks.
create table fact_order_lines (
  dataset varchar(64) not null encode raw, -- real extract and generated data never mix
  dt date not null encode raw, -- order date = silver partition
  order_id varchar(32) not null encode zstd, -- degenerate dimension
  sku varchar(64) not null encode zstd, -- part of the grain; product_key carries the attributes
  date_key int not null encode az64, -- dim_date (YYYYMMDD of dt)
  product_key bigint not null encode az64, -- dim_product
  location_key bigint not null encode az64, -- dim_location, 0 when the address is missing
  fulfilment_key bigint not null encode az64, -- dim_fulfilment
  status_key bigint not null encode az64, -- dim_status
  promotion_group_key bigint not null encode az64, -- bridge_order_line_promotion; 0 = no promotion
  qty int not null encode az64, -- units on the line
  amount numeric(12,2) encode az64, -- line total in INR as sold (NULL = unknown)
  gross_amount numeric(12,2) not null encode az64, -- coalesce(amount, 0), 0 for Non-Amazon
  realised_amount numeric(12,2) not null encode az64, -- gross_amount of realised lines
  lost_amount numeric(12,2) not null encode az64, -- gross_amount of cancelled lines
  promo_count int not null encode az64, -- promotion ids on the line
  is_b2b boolean not null encode zstd, -- business customer
  is_cancelled boolean not null encode zstd, -- status bucket cancelled
  is_non_amazon boolean not null encode zstd, -- sales channel Non-Amazon (no revenue)
  primary key (dataset, dt, order_id, sku)
)
diststyle key distkey (order_id)
compound sortkey (dataset, dt);

-- load_audit: One row per warehouse-load run of a (dataset, dt): what silver promised and what the
-- fact holds.
-- Distribution and sort: append-only log read by (dataset, dt); EVEN since it joins nothing.
create table load_audit (
  run_id varchar(160) not null encode zstd, -- the step run id
  dataset varchar(64) not null encode raw, -- dataset loaded
  dt date not null encode raw, -- partition loaded
  status varchar(16) not null encode zstd, -- succeeded or failed (a failed load rolled back)
  stage_method varchar(16) not null encode zstd, -- copy (the step) or insert (the benchmark peer)
  silver_files int not null encode az64, -- Parquet files read
  manifest_rows bigint encode az64, -- silver_rows of _manifest.json
  parquet_rows bigint encode az64, -- rows read from the Parquet files
  fact_rows bigint encode az64, -- rows in the fact partition after the load
  manifest_amount_sum numeric(14,2) encode az64, -- silver_amount_sum
  parquet_amount_sum numeric(14,2) encode az64, -- sum(amount) of the Parquet
  fact_amount_sum numeric(14,2) encode az64, -- sum(amount) of the fact partition
  fact_realised_sum numeric(14,2) encode az64, -- sum(realised_amount)
  started_at timestamptz not null encode az64, -- load start
  finished_at timestamptz not null encode az64, -- commit or rollback
  message varchar(1024) encode zstd, -- why a load failed
  primary key (run_id, dataset, dt)
)
diststyle even
compound sortkey (dataset, dt);
