"""
### sales_pipeline_setup

One-off setup of the sales pipeline's environment, triggered by hand: checks that every service of
the profile answers (`doctor`). Warehouse migrations and the Glue job deploy join it as they land.
"""

from datetime import datetime, timedelta

from airflow.sdk import DAG

from sales_pipeline.alerts import failure_notifier
from sales_pipeline.settings import load_settings
from sales_pipeline.steps import step_task

settings = load_settings()

with DAG(
    dag_id="sales_pipeline_setup",
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2022, 3, 31),
    catchup=False,
    tags=["sales-pipeline", "setup"],
    default_args={
        "owner": "data-platform",
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": True,
        "on_failure_callback": [failure_notifier(settings)],
    },
):
    step_task("doctor", with_date=False, settings=settings)
