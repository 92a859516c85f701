"""
### sales_pipeline_setup

One-off setup of the sales pipeline's environment, triggered by hand (and safe to trigger again):

`doctor` → `warehouse_migrate`

`doctor` checks that every service of the profile answers; `warehouse_migrate` applies the
warehouse migrations that are not applied yet. Neither takes a date. A separate Glue job deploy
joins here if it becomes its own step; today `glue-transform` creates or updates the Glue job
from the repository on each run (aws profile).
"""

from datetime import datetime

from airflow.sdk import DAG, chain

from sales_pipeline.defaults import task_defaults
from sales_pipeline.settings import load_settings
from sales_pipeline.steps import NO_DATE, step_task

settings = load_settings()

with DAG(
    dag_id="sales_pipeline_setup",
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2022, 3, 31),
    catchup=False,
    max_active_runs=1,
    tags=["sales-pipeline", "setup"],
    default_args=task_defaults(settings),
):
    chain(
        step_task("doctor", dates=NO_DATE, settings=settings),
        step_task("warehouse-migrate", dates=NO_DATE, settings=settings),
    )
