-- Model change: drop fact order lines product ix and add fact order lines product ix (Amazon Redshift).
-- Generated from tasks/src/warehouse/model/ by `make sql-render`: edit the model, not this file.
-- Applied by `sales-pipeline warehouse-migrate` with search_path set to the target schema.

-- nothing to do in this dialect
