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

from conftest import DAILY_DATE as DATE
from conftest import ROOT, warehouse

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
    "analysis",
    "quality_features",
    "quality_product_features",
    "train",
    "dashboard",
]
# DATA.md, rule 4: the statuses whose lines are realised revenue.
REALISED = {
    "Shipped",
    "Shipped - Delivered to Buyer",
    "Shipped - Picked Up",
    "Shipped - Out for Delivery",
    "Shipping",
}


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


def source_marts() -> dict[tuple[str, str], tuple[Decimal, int, int, int]]:
    """(date, category or "*") -> (realised revenue, orders, units, cancelled lines), computed from
    the CSV with the csv module alone: realised statuses, Amazon.in, the line Amount (never qty x
    amount); orders = distinct order ids with a realised line."""
    out: dict[tuple[str, str], list] = {}
    with SOURCE.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            m, d, y = r["Date"].split("-")
            day = f"20{y}-{m}-{d}"
            realised = r["Status"] in REALISED and r["Sales Channel "] == "Amazon.in"
            for key in ((day, "*"), (day, r["Category"])):
                acc = out.setdefault(key, [Decimal("0"), set(), 0, 0])
                if realised:
                    acc[0] += Decimal(r["Amount"] or "0")
                    acc[1].add(r["Order ID"])
                    acc[2] += int(r["Qty"])
                acc[3] += r["Status"] == "Cancelled"
    return {k: (v[0], len(v[1]), v[2], v[3]) for k, v in out.items()}


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


def test_the_marts_equal_a_recomputation_from_the_csv(stack, daily_run):
    """Daily and per-category realised revenue, orders, units and cancelled lines of every day the
    marts hold (the run's day at least) equal the CSV's, to the paisa."""
    expected = source_marts()
    columns = "to_char(dt, 'YYYY-MM-DD'), {}, realised_revenue, orders, units, cancelled_lines"
    daily = columns.format("'*'")
    by_category = columns.format("category")
    sql = (
        f"select {daily} from marts.mart_sales_daily where dataset = 'kaggle-sample';\n"
        f"select {by_category} from marts.mart_category_daily where dataset = 'kaggle-sample';"
    )
    connection = [
        "-h",
        stack["PGHOST"],
        "-p",
        stack["PGPORT"],
        "-U",
        stack["WAREHOUSE_USER"],
        "-d",
        stack["WAREHOUSE_DB"],
    ]
    out = subprocess.run(
        ["psql", *connection, "-At", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql],
        env={**stack, "PGPASSWORD": stack["WAREHOUSE_PASSWORD"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    marts = {}
    for line in out:
        day, category, revenue, orders, units, cancelled = line.split("|")
        marts[(day, category)] = (Decimal(revenue), int(orders), int(units), int(cancelled))
    days = {day for day, _ in marts}
    assert DATE in days
    assert marts == {k: v for k, v in expected.items() if k[0] in days}


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
