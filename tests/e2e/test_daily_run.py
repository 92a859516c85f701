"""`airflow dags test sales_pipeline 2022-04-30` with the local runner against the stack.

Every task succeeds, and the warehouse holds the date's order lines, reconciled with the source
file: source rows = silver + quarantined + duplicates, fact rows = silver rows, amounts equal.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import DAILY_DATE as DATE
from source import assert_day_reconciles, source_day, source_marts, warehouse_marts

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
    "analysis",
    "quality_features",
    "quality_product_features",
    "train",
    "dashboard",
]


def test_every_task_of_the_day_succeeds(daily_run):
    done, states = daily_run
    failed = {t: s["state"] for t, s in states.items() if s["state"] != "success"}
    assert not failed, f"tasks not successful: {failed}\n{done.stdout[-4000:]}"
    assert sorted(states) == sorted(CHAIN)


def test_the_warehouse_holds_the_days_rows_reconciled_with_the_source(stack, daily_run):
    assert assert_day_reconciles(stack, DATE) > 0


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


def test_the_marts_equal_a_recomputation_from_the_csv(stack, daily_run):
    """Daily and per-category realised revenue, orders, units and cancelled lines of every day the
    marts hold (the run's day at least) equal the CSV's, to the paisa."""
    marts = warehouse_marts(stack)
    days = {day for day, _ in marts}
    assert DATE in days
    assert marts == {k: v for k, v in source_marts().items() if k[0] in days}


def test_the_findings_report_states_the_days_revenue(stack, daily_run):
    report = (
        Path(stack["STACK_HOME"])
        / "s3/data"
        / stack["S3_BUCKET"]
        / f"reports/analysis/dataset=kaggle-sample/dt={DATE}/findings.md"
    )
    revenue = source_marts()[(DATE, "*")][0]
    rupees = f"{round(revenue):,}"  # Western grouping; the report uses Indian grouping (lakh)
    text = report.read_text()
    digits = "".join(ch for ch in text.split("realised revenue ₹", 1)[1].split(" ", 1)[0] if ch.isdigit())
    assert digits == rupees.replace(",", "")
    assert f"On {DATE}: realised revenue" in text
