-- The models' output tables, written by the `train` step (issue 12) and read by the dashboards.
-- Applied by the train step before it writes (idempotent: `if not exists`); the same text runs on
-- PostgreSQL 15 and Redshift (plain types only). A train run replaces its dataset's rows in every
-- table in one transaction. Column meanings: docs/models.md.
create schema if not exists marts;

-- Actual days and the 14-day forecast of each series: 'total' or a top category, revenue or units.
create table if not exists marts.forecast_daily (
    dataset varchar(64) not null,
    run_id varchar(160) not null,
    series varchar(48) not null,
    metric varchar(8) not null,          -- revenue | units
    dt date not null,
    kind varchar(8) not null,            -- actual | forecast
    value numeric(16,2) not null,        -- the actual, or the point forecast
    lo80 numeric(16,2),                  -- interval bounds: null on actual rows
    hi80 numeric(16,2),
    lo95 numeric(16,2),
    hi95 numeric(16,2),
    trained_through date not null,
    model varchar(32) not null
);

-- Customer (ship postal code, the proxy) and product (style) cluster assignments.
create table if not exists marts.customer_segment (
    dataset varchar(64) not null,
    run_id varchar(160) not null,
    customer_key varchar(6) not null,
    segment_id int not null,
    segment_name varchar(64) not null
);

create table if not exists marts.product_segment (
    dataset varchar(64) not null,
    run_id varchar(160) not null,
    style varchar(64) not null,
    segment_id int not null,
    segment_name varchar(64) not null
);

-- One row per segment: size, revenue, the plain-words profile and the feature means (JSON).
create table if not exists marts.segment_profile (
    dataset varchar(64) not null,
    run_id varchar(160) not null,
    kind varchar(8) not null,            -- customer | product
    segment_id int not null,
    segment_name varchar(64) not null,
    members bigint not null,
    realised_revenue numeric(16,2) not null,
    description varchar(512) not null,
    features varchar(4096) not null
);

-- One row per model trained: what it read, how it scored (JSON), whether it beat its baseline.
create table if not exists marts.model_run (
    dataset varchar(64) not null,
    model varchar(32) not null,          -- forecast | customer_segments | product_segments
    run_id varchar(160) not null,
    trained_at timestamp not null,
    data_from date not null,
    data_to date not null,
    metrics varchar(8192) not null,
    beats_baseline boolean,              -- null when there is no baseline (segments) or no forecast
    report_uri varchar(512)
);
