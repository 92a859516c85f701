"""Task defaults shared by every DAG of the pipeline (the house rules, in one place)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sales_pipeline.alerts import failure_notifier
from sales_pipeline.settings import Settings

OWNER = "data-platform"


def task_defaults(settings: Settings, *, timeout: timedelta = timedelta(hours=1)) -> dict[str, Any]:
    """default_args: owner, retries with exponential backoff, a time limit and the failure mail.

    Retries apply to crashes and unreachable services only; a rejected input or a failed gate
    (exit 1) fails at once (see outcomes.py).
    """
    return {
        "owner": OWNER,
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        # A multiplier in Airflow 3.3 (True would mean 1, a constant delay): 1 min, then 2 min.
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=15),
        "execution_timeout": timeout,
        "on_failure_callback": [failure_notifier(settings)],
    }
