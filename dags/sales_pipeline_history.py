"""
### sales_pipeline_history

A history load: many sales days in one run, triggered by hand (`make history`, `stack/demo.sh`).
The same chain as `sales_pipeline`, but each step handles the whole range `--dt <start> --to
<end>` in one process, each date still its own idempotent unit (docs/contracts.md). Use it for the
91 days of a generated dataset, where one Airflow run per day would spend most of its time
starting processes; daily runs stay per date.

Params: `start`, `end` (inclusive), `dataset`, `source` (as in `sales_pipeline`). `ingest_raw`
stores the source file once, under the first day; `stream_land` lands everything new on the topic.
Running the same range again leaves the same state.
"""

from datetime import datetime, timedelta

from airflow.sdk import DAG, Param, chain

from sales_pipeline.defaults import task_defaults
from sales_pipeline.settings import load_settings
from sales_pipeline.steps import FIRST_DAY, LAST_DAY, RANGE, quality_gate, step_task

settings = load_settings()
DATASET = ("--dataset", "{{ params.dataset }}")
# One `--flag=value` word: whatever the param holds, it can never become a flag of its own.
SOURCE = ("--source={{ params.source or source_file(params.dataset) }}",)
DATE = {"type": "string", "format": "date"}

with DAG(
    dag_id="sales_pipeline_history",
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2022, 3, 31),
    catchup=False,
    max_active_runs=1,
    tags=["sales-pipeline", "history"],
    params={
        "start": Param("2022-04-27", **DATE, description="first sales day"),
        "end": Param("2022-04-30", **DATE, description="last sales day (inclusive)"),
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
    default_args=task_defaults(settings, timeout=timedelta(hours=4)),
):
    chain(
        step_task("ingest-raw", args=[*DATASET, *SOURCE], dates=FIRST_DAY, settings=settings),
        step_task("stream-produce", args=DATASET, dates=RANGE, settings=settings),
        step_task("stream-land", dates=FIRST_DAY, settings=settings, pool="stream_land"),
        quality_gate("bronze", "bronze_order_lines", args=DATASET, dates=RANGE, settings=settings),
        step_task("glue-transform", args=DATASET, dates=RANGE, settings=settings),
        quality_gate("silver", "silver_order_lines", args=DATASET, dates=RANGE, settings=settings),
        step_task("warehouse-load", args=DATASET, dates=RANGE, settings=settings),
        quality_gate("warehouse", "warehouse_order_lines", args=DATASET, dates=RANGE, settings=settings),
        quality_gate("reconcile", "reconcile_order_lines", args=DATASET, dates=RANGE, settings=settings),
        # Every day of the range must be loaded; the report is the last day's. The feature tables
        # hold one as-of date per dataset, so their gates run once, for the last day.
        step_task("analysis", args=DATASET, dates=RANGE, settings=settings),
        quality_gate(
            "features", "features_customer_segments", args=DATASET, dates=LAST_DAY, settings=settings
        ),
        quality_gate(
            "product_features", "features_product_segments", args=DATASET, dates=LAST_DAY, settings=settings
        ),
        # Trains on the marts as of the range's last day; a range under 21 days skips the forecast.
        step_task("train", args=[*DATASET, "--short-series", "skip"], dates=LAST_DAY, settings=settings),
        # The site shows the marts as they stand after the range: built once, for the last day.
        step_task("dashboard", args=DATASET, dates=LAST_DAY, settings=settings),
    )
