-- The analysis marts and the models' feature tables: one table per question, every row tagged with
-- its dataset. Applied by the `analysis` step (idempotent: `if not exists`) before it rebuilds a
-- dataset's rows; the same text runs on PostgreSQL 15 and Redshift (plain types only, no keys
-- enforced). Revenue everywhere = realised revenue: the line Amount of realised lines
-- (status bucket `realised`), Amazon.in only (Non-Amazon lines carry gross 0); never qty x amount.
-- The data has no customer id: customer_key is the 6-digit ship postal code (the customer proxy).
-- Column meanings: docs/analysis.md.
create schema if not exists marts;

-- One row per analysis build of a dataset: the range the marts cover now.
create table if not exists marts.mart_build (
    dataset varchar(64) not null,
    dt_from date not null,
    dt_to date not null,
    run_id varchar(160) not null,
    built_at timestamp not null,
    fact_lines bigint not null,
    realised_revenue numeric(16,2) not null
);

-- Sales performance by day (Amazon.in realised lines; lines/cancelled/returned count every line).
create table if not exists marts.mart_sales_daily (
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
create table if not exists marts.mart_sales_weekly (
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

create table if not exists marts.mart_sales_monthly (
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
create table if not exists marts.mart_sales_by_dimension (
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
create table if not exists marts.mart_category_daily (
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
create table if not exists marts.mart_revenue_lost (
    dataset varchar(64) not null,
    status_bucket varchar(16) not null,
    status varchar(64) not null,
    lines bigint not null,
    gross_amount numeric(16,2) not null,
    share_of_gross numeric(9,6)          -- of the gross amount of every line in the range
);

-- Customer behaviour (customer = ship postal code, the proxy).
create table if not exists marts.mart_customer_type (
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

create table if not exists marts.mart_basket_size (
    dataset varchar(64) not null,
    basket_lines int not null,           -- lines in the order (Amazon.in orders)
    orders bigint not null,
    avg_units numeric(10,4),
    realised_revenue numeric(16,2) not null,
    avg_order_value numeric(14,2),
    order_share numeric(9,6)
);

create table if not exists marts.mart_repeat_customers (
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
create table if not exists marts.mart_promotion_effect (
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
create table if not exists marts.mart_segment_rates (
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
create table if not exists marts.mart_product_ranking (
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
create table if not exists marts.mart_style_pareto (
    dataset varchar(64) not null,
    style_rank int not null,
    style varchar(64) not null,
    realised_revenue numeric(16,2) not null,
    style_pct numeric(9,6) not null,     -- style_rank / styles with revenue
    cumulative_share numeric(9,6) not null
);

create table if not exists marts.mart_revenue_concentration (
    dataset varchar(64) not null,
    top_pct int not null,                -- 1, 5, 20
    styles int not null,
    revenue_share numeric(9,6)
);

create table if not exists marts.mart_size_mix (
    dataset varchar(64) not null,
    category varchar(32) not null,
    size varchar(8) not null,
    units bigint not null,
    realised_revenue numeric(16,2) not null,
    unit_share numeric(9,6)              -- of the category's units
);

-- Rising and declining styles: least-squares slope of weekly realised revenue over the whole
-- weeks of the range, for styles above a minimum volume (so noise does not rank).
create table if not exists marts.mart_style_trend (
    dataset varchar(64) not null,
    style varchar(64) not null,
    category varchar(32) not null,
    weeks int not null,
    realised_revenue numeric(16,2) not null,
    slope_per_week numeric(14,2) not null,
    relative_slope numeric(12,6),        -- slope / mean weekly revenue
    direction varchar(10) not null,      -- rising, declining, flat
    trend_rank int not null              -- 1 = steepest in its direction
);

-- Feature tables for the models (train step), gated by expectations/features_*.json.
-- One row per customer (postal code) as of dt = the last day of the build.
create table if not exists marts.features_customer_segments (
    dataset varchar(64) not null,
    dt date not null,
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

-- One row per style as of dt.
create table if not exists marts.features_product_segments (
    dataset varchar(64) not null,
    dt date not null,
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
