-- Model change: load_audit keeps one row per attempt, keyed (run_id, dataset, dt, started_at).
-- Written by hand (a primary key change is not generated; `make sql-render
-- SQL_RENDER_ARGS=--hand-written` recorded it in model.json); the integration tier checks the
-- migrated database against the model. Applied by `sales-pipeline warehouse-migrate` with
-- search_path set to the target schema.
-- Why: an Airflow retry, or a cleared task, runs warehouse-load again with the same run id. With
-- (run_id, dataset, dt) as the key, the retry's audit row collided with the earlier attempt's
-- (a failed one, or a success before the clear), and the load rolled back with exit 3 every time.
-- Existing rows keep their values: the old key was unique, so the wider one is too.

alter table load_audit drop constraint load_audit_pkey;

alter table load_audit add primary key (run_id, dataset, dt, started_at);
