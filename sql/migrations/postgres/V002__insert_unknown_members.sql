-- Every dimension gets its unknown member, key 0: facts point there, never to NULL (PostgreSQL 15).
-- Generated from tasks/src/warehouse/model*.ts by `make sql-render`: edit the model, not this file.
-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.

insert into dim_date (date_key, day_of_month, day_name, iso_day_of_week, is_weekend, iso_week, iso_week_year, month, month_name, year_month, quarter, year, is_public_holiday, holidays_known) values (0, 0, 'Unknown', 0, false, 0, 0, 0, 'Unknown', 'Unknown', 0, 0, false, false);
insert into dim_product (product_key, style, asin, category, size) values (0, 'Unknown', 'Unknown', 'Unknown', 'Unknown');
insert into dim_location (location_key, pin_zone, region, state, city) values (0, 0, 'Unknown', 'Unknown', 'Unknown');
insert into dim_fulfilment (fulfilment_key, fulfilment, sales_channel, ship_service_level, fulfilled_by) values (0, 'Unknown', 'Unknown', 'Unknown', 'Unknown');
insert into dim_status (status_key, status, courier_status, status_bucket) values (0, 'Unknown', 'Unknown', 'unknown');
insert into dim_promotion (promotion_key, promotion_type) values (0, 'unknown');
