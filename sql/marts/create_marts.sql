-- The analysis marts and the models' feature tables: one table per question, every row tagged with
-- its dataset. Applied by the `analysis` step (idempotent: `if not exists`) before it rebuilds a
-- dataset's rows; the same text runs on PostgreSQL 15 and Redshift (plain types only, no keys
-- enforced). Names are unqualified: the step creates the marts schema (default `marts`) and sets
-- search_path to it and then the warehouse schema (default `sales`), which the view reads. Revenue everywhere = realised revenue: the line Amount of realised lines
-- (status bucket `realised`), Amazon.in only (Non-Amazon lines carry gross 0); never qty x amount.
-- The data has no customer id: customer_key is the 6-digit ship postal code (the customer proxy).
-- Column meanings: docs/analysis.md.

-- One row per analysis build of a dataset: the range the marts cover now.
create table if not exists mart_build (
    dataset varchar(64) not null,
    dt_from date not null,
    dt_to date not null,
    run_id varchar(160) not null,
    built_at timestamp not null,
    fact_lines bigint not null,
    realised_revenue numeric(16,2) not null
);

-- Sales performance by day (Amazon.in realised lines; lines/cancelled/returned count every line).
create table if not exists mart_sales_daily (
    dataset varchar(64) not null,
    dt date not null,
    realised_revenue numeric(16,2) not null,
    orders bigint not null,            -- distinct orders with at least one realised line
    units bigint not null,             -- qty of realised lines
    avg_order_value numeric(14,2),     -- realised_revenue / orders; null when no orders
    lines bigint not null,             -- every line of the day, any status or channel
    realised_lines bigint not null,
    cancelled_lines bigint not null,
    returned_lines bigint not null,
    gross_amount numeric(16,2) not null,
    lost_amount numeric(16,2) not null,     -- gross of cancelled lines
    returned_amount numeric(16,2) not null  -- gross of returned lines
);

-- Sales by ISO week and by month, with growth against the previous period.
-- is_partial: the period is cut by the data range (fewer days present than it has); growth is null
-- when this or the previous period is partial (never a whole vs partial comparison).
create table if not exists mart_sales_weekly (
    dataset varchar(64) not null,
    iso_week_year int not null,
    iso_week int not null,
    week_start date not null,
    days_present int not null,
    is_partial boolean not null,
    realised_revenue numeric(16,2) not null,
    orders bigint not null,
    units bigint not null,
    avg_order_value numeric(14,2),
    previous_revenue numeric(16,2),
    growth numeric(12,6)                 -- (revenue - previous) / previous
);

create table if not exists mart_sales_monthly (
    dataset varchar(64) not null,
    year_month varchar(7) not null,
    month_start date not null,
    days_present int not null,
    days_in_month int not null,
    is_partial boolean not null,
    realised_revenue numeric(16,2) not null,
    orders bigint not null,
    units bigint not null,
    avg_order_value numeric(14,2),
    previous_revenue numeric(16,2),
    growth numeric(12,6)
);

-- Realised revenue by one dimension at a time: category, size, ship_state, fulfilment,
-- sales_channel, service_level. revenue_share: of the dataset's realised revenue in the range.
create table if not exists mart_sales_by_dimension (
    dataset varchar(64) not null,
    dimension varchar(32) not null,
    member varchar(64) not null,
    realised_revenue numeric(16,2) not null,
    orders bigint not null,
    units bigint not null,
    lines bigint not null,
    cancelled_lines bigint not null,
    revenue_share numeric(9,6)
);

-- Per day and category: the series the forecaster reads for its top categories.
create table if not exists mart_category_daily (
    dataset varchar(64) not null,
    dt date not null,
    category varchar(32) not null,
    realised_revenue numeric(16,2) not null,
    orders bigint not null,
    units bigint not null,
    lines bigint not null,
    cancelled_lines bigint not null
);

-- Revenue lost to cancellations and returns: gross amount of every non-realised line, by status
-- bucket and raw status.
create table if not exists mart_revenue_lost (
    dataset varchar(64) not null,
    status_bucket varchar(16) not null,
    status varchar(64) not null,
    lines bigint not null,
    gross_amount numeric(16,2) not null,
    share_of_gross numeric(9,6)          -- of the gross amount of every line in the range
);

-- Customer behaviour (customer = ship postal code, the proxy).
create table if not exists mart_customer_type (
    dataset varchar(64) not null,
    customer_type varchar(8) not null,   -- B2B, B2C
    customers bigint not null,
    orders bigint not null,
    lines bigint not null,
    units bigint not null,
    realised_revenue numeric(16,2) not null,
    avg_order_value numeric(14,2),
    cancel_rate numeric(9,6),
    return_rate numeric(9,6)
);

create table if not exists mart_basket_size (
    dataset varchar(64) not null,
    basket_lines int not null,           -- lines in the order (Amazon.in orders)
    orders bigint not null,
    avg_units numeric(10,4),
    realised_revenue numeric(16,2) not null,
    avg_order_value numeric(14,2),
    order_share numeric(9,6)
);

create table if not exists mart_repeat_customers (
    dataset varchar(64) not null,
    order_bucket varchar(8) not null,    -- orders per customer: 1, 2, 3-4, 5+
    customers bigint not null,
    orders bigint not null,
    realised_revenue numeric(16,2) not null,
    customer_share numeric(9,6),
    revenue_share numeric(9,6)
);

-- Promotion usage and its effect on basket value: per order, with and without a promotion, and
-- the revenue allocated to each promotion type (a line with n promotions counts 1/n each).
create table if not exists mart_promotion_effect (
    dataset varchar(64) not null,
    grouping varchar(16) not null,       -- order (has_promotion yes/no) or type (promotion type)
    member varchar(32) not null,
    orders numeric(14,2) not null,       -- weighted for grouping = type
    lines numeric(14,2) not null,
    realised_revenue numeric(16,2) not null,
    avg_order_value numeric(14,2),
    avg_units numeric(10,4),
    cancel_rate numeric(9,6)
);

-- Cancellation and return rates by segment: customer_type, fulfilment, service_level, ship_state.
create table if not exists mart_segment_rates (
    dataset varchar(64) not null,
    segment_kind varchar(16) not null,
    segment varchar(64) not null,
    lines bigint not null,
    cancelled_lines bigint not null,
    returned_lines bigint not null,
    cancel_rate numeric(9,6),
    return_rate numeric(9,6)
);

-- Product trends: every style and SKU ranked by realised revenue and by units (1 = best);
-- bottom ranks count from the worst among items with at least one realised line.
create table if not exists mart_product_ranking (
    dataset varchar(64) not null,
    grain varchar(8) not null,           -- style or sku
    item varchar(64) not null,
    category varchar(32) not null,
    realised_revenue numeric(16,2) not null,
    units bigint not null,
    orders bigint not null,
    revenue_rank int not null,
    units_rank int not null,
    bottom_rank int                      -- 1 = lowest revenue among sellers; null if none sold
);

-- Revenue concentration: cumulative share of revenue by style rank (the Pareto curve), and the
-- share from the top 1 / 5 / 20 % of styles.
create table if not exists mart_style_pareto (
    dataset varchar(64) not null,
    style_rank int not null,
    style varchar(64) not null,
    realised_revenue numeric(16,2) not null,
    style_pct numeric(9,6) not null,     -- style_rank / styles with revenue
    cumulative_share numeric(9,6) not null
);

create table if not exists mart_revenue_concentration (
    dataset varchar(64) not null,
    top_pct int not null,                -- 1, 5, 20
    styles int not null,
    revenue_share numeric(9,6)
);

create table if not exists mart_size_mix (
    dataset varchar(64) not null,
    category varchar(32) not null,
    size varchar(8) not null,
    units bigint not null,
    realised_revenue numeric(16,2) not null,
    unit_share numeric(9,6)              -- of the category's units
);

-- Rising and declining styles and ship states: least-squares slope of weekly realised revenue
-- over the whole weeks of the range, for subjects above a minimum volume (so noise does not rank).
create table if not exists mart_trend (
    dataset varchar(64) not null,
    subject_kind varchar(16) not null,   -- style or ship_state
    subject varchar(64) not null,
    category varchar(32) not null,       -- the style's category; '-' for states
    weeks int not null,
    realised_revenue numeric(16,2) not null,
    slope_per_week numeric(14,2) not null,
    relative_slope numeric(12,6),        -- slope / mean weekly revenue
    direction varchar(10) not null,      -- rising, declining, flat
    trend_rank int not null              -- 1 = steepest in its kind and direction
);

-- Feature tables for the models (train step), gated by expectations/features_*.json.
-- One row per customer (postal code) as of the last day of the build (as_of).
create table if not exists features_customer_segments (
    dataset varchar(64) not null,
    as_of date not null,                 -- the last day of the build
    customer_key varchar(6) not null,
    orders bigint not null,
    lines bigint not null,
    units bigint not null,
    gross_amount numeric(16,2) not null,
    realised_amount numeric(16,2) not null,
    avg_order_value numeric(14,2) not null,
    cancel_rate numeric(9,6) not null,
    return_rate numeric(9,6) not null,
    promo_share numeric(9,6) not null,
    b2b_share numeric(9,6) not null,
    distinct_categories int not null,
    days_since_last_order int not null,
    first_order_date date not null,
    last_order_date date not null
);

-- One row per style as of the last day of the build.
create table if not exists features_product_segments (
    dataset varchar(64) not null,
    as_of date not null,
    style varchar(64) not null,
    category varchar(32) not null,
    orders bigint not null,
    lines bigint not null,
    units bigint not null,
    gross_amount numeric(16,2) not null,
    realised_amount numeric(16,2) not null,
    avg_basket_lines numeric(10,4) not null,  -- mean lines of the orders that contain the style
    avg_unit_price numeric(14,2) not null,    -- realised_amount / realised units (0 when none)
    cancel_rate numeric(9,6) not null,
    return_rate numeric(9,6) not null,
    b2b_share numeric(9,6) not null,
    promo_share numeric(9,6) not null,
    sizes int not null,                       -- distinct sizes sold
    top_size_share numeric(9,6) not null,     -- units share of its best-selling size
    days_active int not null,                 -- days with at least one line
    first_order_date date not null,
    last_order_date date not null
);

-- The one place revenue is defined. Every analysis query reads order lines through this view:
--   revenue     = realised_amount: the line Amount of a line whose status bucket is `realised`,
--                 0 otherwise, and 0 for Non-Amazon lines (the transform's rules 5 and 10);
--   is_realised = a realised Amazon.in line (the lines that count as sold: units, orders, AOV).
-- customer_key is the ship postal code: the customer proxy (the data has no customer id).
-- Recreated by every analysis run (drop + create: a view's columns cannot change in place).
drop view if exists order_lines;
create view order_lines as
select f.dataset, f.dt, f.order_id, f.sku, f.qty, f.amount, f.gross_amount,
       f.realised_amount as revenue,
       f.lost_amount,
       (s.status_bucket = 'realised' and not f.is_non_amazon) as is_realised,
       f.is_cancelled,
       (s.status_bucket = 'returned') as is_returned,
       s.status_bucket, s.status,
       f.is_b2b, f.is_non_amazon,
       (f.promo_count > 0) as has_promotion, f.promo_count, f.promotion_group_key,
       l.postal_code as customer_key, l.state as ship_state, l.city as ship_city, l.region,
       p.style, p.category, p.size,
       ff.fulfilment, ff.sales_channel, ff.ship_service_level as service_level,
       d.iso_week_year, d.iso_week, d.week_start, d.year_month,
       cast(d.year_month || '-01' as date) as month_start
from fact_order_lines as f
join dim_status as s on s.status_key = f.status_key
join dim_location as l on l.location_key = f.location_key
join dim_product as p on p.product_key = f.product_key
join dim_fulfilment as ff on ff.fulfilment_key = f.fulfilment_key
join dim_date as d on d.date_key = f.date_key;
