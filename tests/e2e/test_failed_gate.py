"""A failed quality gate stops the run: no retry, no downstream task, and a mail with its summary.

The steps are played by a stub CLI (fixtures/stub-cli.js) so that the gate fails on purpose and
the test is about orchestration alone: the real DAG file, the local runner, Airflow's task states,
the SMTP provider's notifier and the local SMTP catcher are all real.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import Airflow, inbox

STUB = Path(__file__).parent / "fixtures" / "stub-cli.js"
DOWNSTREAM = ["glue_transform", "quality_silver", "warehouse_load", "quality_warehouse", "quality_reconcile"]


@pytest.fixture(scope="module")
def failed_run(stack, airflow_home, tmp_path_factory):
    token = f"e2e-{uuid.uuid4().hex[:12]}"
    calls = tmp_path_factory.mktemp("stub") / "calls.txt"
    airflow = Airflow(
        airflow_home,
        PIPELINE_CLI=str(STUB),
        STUB_FAIL_SUITE="bronze_order_lines",
        STUB_TOKEN=token,
        STUB_CALLS=str(calls),
    )
    done = airflow.dags_test("sales_pipeline", "2022-04-28", conf={"dataset": "kaggle-sample"}, timeout=600)
    return {
        "done": done,
        "states": airflow.task_states("sales_pipeline", "2022-04-28"),
        "calls": calls.read_text().splitlines(),
        "token": token,
        "env": stack,
    }


def test_the_steps_before_the_gate_succeed_and_the_gate_runs_once(failed_run):
    assert failed_run["calls"] == [
        "ingest-raw",
        "stream-produce",
        "stream-land",
        "quality-gate bronze_order_lines",
    ], "the failed gate is not retried and nothing after it runs"
    states = failed_run["states"]
    for task_id in ("ingest_raw", "stream_produce", "stream_land"):
        assert states[task_id]["state"] == "success", task_id
    assert states["quality_bronze"]["state"] == "failed"


def test_the_tasks_after_the_gate_never_start(failed_run):
    states = failed_run["states"]
    for task_id in DOWNSTREAM:
        assert states[task_id]["state"] == "upstream_failed", task_id
    assert "DagRun failed" in failed_run["done"].stdout + failed_run["done"].stderr


def test_the_failure_mail_carries_the_gate_summary_and_report(failed_run):
    token = failed_run["token"]
    (mail,) = inbox(failed_run["env"], token)
    assert mail["subject"].startswith("[sales-pipeline] sales_pipeline.quality_bronze failed for 2022-04-28")
    assert "quality gate failed" in mail["subject"]
    html = mail["html"]
    assert "#3 critical</th><td>expect_column_values_to_not_be_null (order_id): 1 unexpected rows" in html
    assert "quality gate bronze_order_lines failed for 2022-04-28: 1 critical expectation (exit 1)" in html
    assert f"reports/quality/bronze_order_lines/dt=2022-04-28/run_id={token}/report.html" in html
    assert '<th align="left">try</th><td>1</td>' in html
    assert "/dags/sales_pipeline/runs/" in html and "/tasks/quality_bronze" in html
    assert [to["address"] for to in mail["to"]] == failed_run["env"]["ALERT_EMAIL_TO"].split(",")
