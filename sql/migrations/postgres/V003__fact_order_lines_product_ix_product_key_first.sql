-- Model change: drop fact order lines product ix and add fact order lines product ix (PostgreSQL 15).
-- Generated from tasks/src/warehouse/model/ by `make sql-render`: edit the model, not this file.
-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.

drop index if exists fact_order_lines_product_ix;

-- fact_order_lines_product_ix: top_products.sql: the products of one category, then their lines in the date range (product_key first: a day partition holds one dataset, so a leading dataset column made every comparison of the load's index build a text comparison).
create index fact_order_lines_product_ix on fact_order_lines (product_key, dataset, dt);
