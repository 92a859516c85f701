-- Model change: fact_order_lines declares no primary key on PostgreSQL; the loader checks its key.
-- Written by hand beside the PostgreSQL file of the same version, which drops the constraint there.
-- Nothing changes on Redshift: its primary key was never enforced and stays declared, informing
-- the planner; the loader checks the key on both dialects (tasks/src/warehouse/silver/key-order.ts).

-- A statement that does nothing, so the version applies as on PostgreSQL.
select 1;
