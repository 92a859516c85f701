"""
### sales_pipeline

One sales day through the pipeline, every day from 2022-03-31 (catchup on, so backfills work):

`ingest_raw` → `stream_produce` → `stream_land` → `quality_bronze` → `glue_transform` →
`quality_silver` → `warehouse_load` → `quality_warehouse` → `quality_reconcile` → `analysis` →
`quality_features` → `quality_product_features` → `train` → `dashboard`

Each task runs one step of the task program, `sales-pipeline <step> --dt {{ ds }} --run-id
{{ run_id }} --dataset <param>`, as a subprocess (`PIPELINE_RUNNER=local`) or a pod from the step's
image (`PIPELINE_RUNNER=kubernetes`); see `plugins/sales_pipeline/steps.py`. Task id = step name
(`warehouse-load` → `warehouse_load`), except the quality gates, named by stage: `quality_<stage>`
runs `quality-gate --suite <stage>_order_lines`. `stream_land` takes no `--dataset`: it lands
every dataset on the topic. `analysis` rebuilds the dataset's marts over all its loaded days and
writes the day's findings report (docs/analysis.md); `dashboard` rebuilds the dataset's
dashboards site from the marts (docs/dashboards.md); `train` before it forecasts and segments
(docs/models.md).

The run for day D starts once D is over (a daily data interval; `ds` = D). The last day is
2022-06-29, or `PIPELINE_END_DATE` (an environment variable, read without I/O at parse time).
Params: `dataset` (default `kaggle-sample`), `source` (ingest-raw's file; empty = the dataset's
own file: the real sample, or `.local/data/amazon_sale_report_synthetic_seed<S>_<N>.csv`).
A gate failure or rejected input (exit 1) fails its task at once, without retries, stops the
downstream tasks and mails the quality summary; crashes are retried twice with backoff.
History loads of many days in one run: the `sales_pipeline_history` DAG.
"""

from datetime import datetime

from airflow.sdk import DAG, CronDataIntervalTimetable, Param, chain

from sales_pipeline.defaults import task_defaults
from sales_pipeline.settings import load_settings
from sales_pipeline.steps import quality_gate, step_task

settings = load_settings()
DATASET = ("--dataset", "{{ params.dataset }}")
# One `--flag=value` word: whatever the param holds, it can never become a flag of its own.
SOURCE = ("--source={{ params.source or source_file(params.dataset) }}",)
SHORT_SERIES_SKIP = ("--short-series", "skip")

with DAG(
    dag_id="sales_pipeline",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=datetime(2022, 3, 31),
    end_date=settings.end_date,
    catchup=True,
    # Two days in flight at most: the machine (or the namespace quota) is small and the
    # single-writer steps below are limited to one at a time anyway.
    max_active_runs=2,
    tags=["sales-pipeline", "daily"],
    params={
        "dataset": Param("kaggle-sample", type="string", pattern="^[a-z0-9][a-z0-9-]{0,62}$"),
        "source": Param(
            "",
            type="string",
            # A path or an s3:// URI: never a flag, no control characters.
            pattern=r"^(|s3://[a-z0-9][a-z0-9.-]{1,62}/[^\x00-\x1f]+|[^-\s\x00-\x1f][^\x00-\x1f]*)$",
            description="ingest-raw --source (a path; empty: the dataset's file)",
        ),
    },
    user_defined_macros={"source_file": settings.source_file},
    default_args=task_defaults(settings),
):
    chain(
        step_task("ingest-raw", args=[*DATASET, *SOURCE], settings=settings),
        step_task("stream-produce", args=DATASET, settings=settings),
        # One lander at a time: it consumes up to the end offsets seen at its start, and two
        # members of its consumer group would split the partitions between two runs. The pool
        # (one slot, stack/airflow.sh) holds the history DAG's lander too (docs/runbook.md).
        step_task("stream-land", settings=settings, max_active_tis_per_dag=1, pool="stream_land"),
        quality_gate("bronze", "bronze_order_lines", args=DATASET, settings=settings),
        # One transform at a time: local Spark has 2 cores. The Glue job allows
        # GLUE_MAX_CONCURRENT_RUNS (4) runs, so on AWS this limit may be raised to match.
        step_task("glue-transform", args=DATASET, settings=settings, max_active_tis_per_dag=1),
        quality_gate("silver", "silver_order_lines", args=DATASET, settings=settings),
        # Loads upsert shared dimensions: one transaction at a time.
        step_task("warehouse-load", args=DATASET, settings=settings, max_active_tis_per_dag=1),
        quality_gate("warehouse", "warehouse_order_lines", args=DATASET, settings=settings),
        # Counts and amount sums of every layer for the date, side by side (source = topic = bronze,
        # bronze = silver + quarantine + duplicates, silver = warehouse).
        quality_gate("reconcile", "reconcile_order_lines", args=DATASET, settings=settings),
        # The dataset's marts over its loaded days, the findings report of the day; one at a time
        # (each run replaces the dataset's marts). Then the models' feature tables are gated.
        step_task("analysis", args=DATASET, settings=settings, max_active_tis_per_dag=1),
        quality_gate("features", "features_customer_segments", args=DATASET, settings=settings),
        quality_gate("product_features", "features_product_segments", args=DATASET, settings=settings),
        # Forecasts need 21+ days of marts: over a shorter dataset (the 4-day sample) the forecast
        # is recorded as skipped and the segments still train, so the daily run does not fail.
        step_task("train", args=[*DATASET, *SHORT_SERIES_SKIP], settings=settings),
        # The dashboards site rebuilt from the dataset's marts and uploaded (reports/dashboard/); one
        # at a time: a build replaces the dataset's site. Runs after train: the site reads the model tables.
        step_task("dashboard", args=DATASET, settings=settings, max_active_tis_per_dag=1),
    )
