"""`airflow dags test sales_pipeline 2022-04-30` with the local runner against the stack.

Every task succeeds, and the warehouse holds the date's order lines, reconciled with the source
file: source rows = silver + quarantined + duplicates, fact rows = silver rows, amounts equal.
"""

from __future__ import annotations

import csv
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, Airflow, warehouse

DATE = "2022-04-30"
SOURCE = ROOT.parent / "shared" / "data" / "amazon_sale_report_sample.csv"
CHAIN = [
    "ingest_raw",
    "stream_produce",
    "stream_land",
    "quality_bronze",
    "glue_transform",
    "quality_silver",
    "warehouse_load",
    "quality_warehouse",
    "quality_reconcile",
]


def source_day(date: str) -> tuple[int, Decimal]:
    """Rows and non-null Amount sum of one sales day, straight from the CSV (MM-DD-YY dates)."""
    y, m, d = date.split("-")
    wanted = f"{m}-{d}-{y[2:]}"
    rows, amount = 0, Decimal("0")
    with SOURCE.open(newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            if record["Date"] == wanted:
                rows += 1
                amount += Decimal(record["Amount"] or "0")
    return rows, amount


@pytest.fixture(scope="module")
def daily_run(stack, airflow_home):
    # The same file already stored under another ingest date, as a backfill leaves it: stream-produce
    # replays a content once, and the reconcile gate must count it once too.
    earlier = subprocess.run(
        ["node", "tasks/dist/cli.js", "ingest-raw", "--dt", "2022-04-29", "--xcom-path", "/dev/null"],
        cwd=ROOT,
        env=stack,
        capture_output=True,
        text=True,
    )
    assert earlier.returncode == 0, earlier.stderr[-2000:]
    airflow = Airflow(airflow_home)
    done = airflow.dags_test("sales_pipeline", DATE)
    return done, airflow.task_states("sales_pipeline", DATE)


def test_every_task_of_the_day_succeeds(daily_run):
    done, states = daily_run
    failed = {t: s["state"] for t, s in states.items() if s["state"] != "success"}
    assert not failed, f"tasks not successful: {failed}\n{done.stdout[-4000:]}"
    assert sorted(states) == sorted(CHAIN)


def test_the_warehouse_holds_the_days_rows_reconciled_with_the_source(stack, daily_run):
    rows, amount = source_day(DATE)
    manifest_path = (
        Path(stack["STACK_HOME"])
        / "s3/data"
        / stack["S3_BUCKET"]
        / "lake/silver/order_lines/dataset=kaggle-sample"
        / f"dt={DATE}/_manifest.json"
    )
    manifest = json.loads(manifest_path.read_text())
    assert manifest["bronze_rows"] - manifest["redelivered_rows"] == rows
    assert manifest["silver_rows"] + manifest["quarantined_rows"] + manifest["duplicate_rows"] == rows

    fact_rows, fact_amount = warehouse(
        stack,
        "select count(*), coalesce(sum(amount), 0) from sales.fact_order_lines "
        "where dataset = :'dataset' and dt = cast(:'dt' as date)",
        dataset="kaggle-sample",
        dt=DATE,
    )
    assert int(fact_rows) == manifest["silver_rows"]
    assert Decimal(fact_amount) == Decimal(str(manifest["silver_amount_sum"]))
    if manifest["quarantined_rows"] == 0 and manifest["duplicate_rows"] == 0:
        assert Decimal(fact_amount) == amount


def test_the_reconcile_gate_saw_every_layer_agree_with_the_source(stack, daily_run):
    rows, amount = source_day(DATE)
    runs = Path(stack["STACK_HOME"]) / "s3/data" / stack["S3_BUCKET"] / f"runs/quality-gate/dt={DATE}"
    newest = max(runs.glob("*__reconcile_order_lines.json"), key=lambda p: p.stat().st_mtime)
    result = json.loads(newest.read_text())
    assert result["status"] == "succeeded", result
    facts = result["details"]["reconciliation"]
    assert facts["source_rows"] == facts["produced_rows"] == rows
    assert Decimal(str(facts["source_event_amount_sum"])) == amount
    assert facts["bronze_accounted_rows"] == facts["bronze_rows"]
    assert facts["warehouse_rows"] == facts["silver_rows"] == facts["manifest_silver_rows"]
    assert facts["warehouse_amount_sum"] == facts["silver_amount_sum"]
