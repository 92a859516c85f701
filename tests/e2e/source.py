"""What the e2e tests expect, computed from the source CSV alone, and the warehouse's side of it.

The daily run and the backfill check their dates the same way: the silver manifest and the fact
table reconcile with the file's rows and amounts, and the marts equal a recomputation from the CSV.
"""

from __future__ import annotations

import csv
import json
import subprocess
from decimal import Decimal
from pathlib import Path

from conftest import ROOT, warehouse

SOURCE = ROOT.parent / "shared" / "data" / "amazon_sale_report_sample.csv"
DATASET = "kaggle-sample"
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


def warehouse_marts(stack: dict[str, str]) -> dict[tuple[str, str], tuple[Decimal, int, int, int]]:
    """The same keys and values as source_marts(), read from marts.mart_sales_daily ("*") and
    marts.mart_category_daily, for every day the marts hold."""
    columns = "to_char(dt, 'YYYY-MM-DD'), {}, realised_revenue, orders, units, cancelled_lines"
    sql = (
        f"select {columns.format(repr('*'))} from marts.mart_sales_daily where dataset = '{DATASET}';\n"
        f"select {columns.format('category')} from marts.mart_category_daily where dataset = '{DATASET}';"
    )
    connection = ["-h", stack["PGHOST"], "-p", stack["PGPORT"], "-U", stack["WAREHOUSE_USER"]]
    connection += ["-d", stack["WAREHOUSE_DB"]]
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
    return marts


def assert_day_reconciles(stack: dict[str, str], date: str) -> int:
    """The date's silver manifest accounts for every source row, and the fact table holds exactly
    the silver rows and their amount sum. Returns the fact rows."""
    rows, amount = source_day(date)
    manifest_path = (
        Path(stack["STACK_HOME"])
        / "s3/data"
        / stack["S3_BUCKET"]
        / f"lake/silver/order_lines/dataset={DATASET}"
        / f"dt={date}/_manifest.json"
    )
    manifest = json.loads(manifest_path.read_text())
    assert manifest["bronze_rows"] - manifest["redelivered_rows"] == rows, (date, manifest)
    accounted = manifest["silver_rows"] + manifest["quarantined_rows"] + manifest["duplicate_rows"]
    assert accounted == rows, (date, manifest)

    fact_rows, fact_amount = warehouse(
        stack,
        "select count(*), coalesce(sum(amount), 0) from sales.fact_order_lines "
        "where dataset = :'dataset' and dt = cast(:'dt' as date)",
        dataset=DATASET,
        dt=date,
    )
    assert int(fact_rows) == manifest["silver_rows"], (date, fact_rows, manifest)
    assert Decimal(fact_amount) == Decimal(str(manifest["silver_amount_sum"])), (date, fact_amount, manifest)
    if manifest["quarantined_rows"] == 0 and manifest["duplicate_rows"] == 0:
        assert Decimal(fact_amount) == amount, (date, fact_amount, amount)
    return int(fact_rows)
