"""Silver partitions built to docs/contracts.md, for the warehouse tests and benchmark.

The Spark job that writes silver is built concurrently; these fixtures follow the contract
exactly (column order, decimal(12,2), list<string>, date32) so the warehouse is tested against
the contract, and they are written by pyarrow, an independent Parquet writer.

    python silver_fixture.py rows --out DIR --dataset D --dt 2022-04-30 < rows.json
    python silver_fixture.py synthetic --out DIR --dataset D --from 2022-04-01 --to 2022-04-30 --rows 1000
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DEC = pa.decimal128(12, 2)
STR = pa.string()
STRS = pa.list_(pa.string())

# The silver order line, in contract order.
SCHEMA = pa.schema(
    [
        ("dataset", STR),
        ("dt", pa.date32()),
        ("order_id", STR),
        ("sku", STR),
        ("source_index", pa.int64()),
        ("order_date", pa.date32()),
        ("status", STR),
        ("status_bucket", STR),
        ("fulfilment", STR),
        ("sales_channel", STR),
        ("ship_service_level", STR),
        ("style", STR),
        ("asin", STR),
        ("category", STR),
        ("size", STR),
        ("courier_status", STR),
        ("qty", pa.int32()),
        ("currency", STR),
        ("amount", DEC),
        ("gross_amount", DEC),
        ("realised_amount", DEC),
        ("lost_amount", DEC),
        ("ship_city", STR),
        ("ship_city_raw", STR),
        ("ship_state", STR),
        ("ship_state_raw", STR),
        ("ship_postal_code", STR),
        ("ship_postal_code_raw", STR),
        ("ship_country", STR),
        ("promotion_ids", STRS),
        ("has_promotion", pa.bool_()),
        ("promo_count", pa.int32()),
        ("b2b", pa.bool_()),
        ("fulfilled_by", STR),
        ("is_non_amazon", pa.bool_()),
        ("is_cancelled", pa.bool_()),
        ("dq_flags", STRS),
        ("kafka_partition", pa.int32()),
        ("kafka_offset", pa.int64()),
    ]
)

BUCKETS = {
    "Shipped": "realised",
    "Shipped - Delivered to Buyer": "realised",
    "Cancelled": "cancelled",
    "Shipped - Returned to Seller": "returned",
    "Pending": "pending",
    "Shipped - Lost in Transit": "lost_damaged",
}


def complete(row: dict, dataset: str, day: str, n: int) -> dict:
    """A full silver row from a partial one: defaults, then the derived columns of the contract."""
    r = {
        "dataset": dataset,
        "dt": day,
        "order_id": f"171-{n:07d}-{n * 7 % 9999999:07d}",
        "sku": "JNE3781-KR-XXXL",
        "source_index": n,
        "status": "Shipped",
        "fulfilment": "Amazon",
        "sales_channel": "Amazon.in",
        "ship_service_level": "Expedited",
        "style": "JNE3781",
        "asin": "B09K3WFS32",
        "category": "kurta",
        "size": "3XL",
        "courier_status": "Shipped",
        "qty": 1,
        "amount": "406.00",
        "ship_city": "MUMBAI",
        "ship_state": "MAHARASHTRA",
        "ship_postal_code": "400081",
        "ship_country": "IN",
        "promotion_ids": [],
        "b2b": False,
        "fulfilled_by": None,
        "dq_flags": [],
        "kafka_partition": 0,
        "kafka_offset": n,
    }
    r.update(row)
    r["order_date"] = r["dt"]
    r.setdefault("status_bucket", BUCKETS.get(r["status"], "realised"))
    amount = None if r["amount"] is None else Decimal(str(r["amount"]))
    r["amount"] = amount
    r["currency"] = None if amount is None else "INR"
    r["is_non_amazon"] = r["sales_channel"] == "Non-Amazon"
    r["is_cancelled"] = r["status_bucket"] == "cancelled"
    gross = Decimal("0.00") if amount is None or r["is_non_amazon"] else amount
    r["gross_amount"] = gross
    r["realised_amount"] = gross if r["status_bucket"] == "realised" else Decimal("0.00")
    r["lost_amount"] = gross if r["is_cancelled"] else Decimal("0.00")
    r["has_promotion"] = bool(r["promotion_ids"])
    r["promo_count"] = len(r["promotion_ids"])
    for c in ("ship_city", "ship_state", "ship_postal_code"):
        r[f"{c}_raw"] = r[c]
    for c in ("dt", "order_date"):
        r[c] = dt.date.fromisoformat(r[c]) if isinstance(r[c], str) else r[c]
    return r


def write_partition(rows: list[dict], out: Path, dataset: str, day: str, files: int = 1, **options) -> dict:
    """Writes part-*.snappy.parquet files and _manifest.json of one partition; returns the manifest.

    options: order="keep" writes the rows in the order given (by default they are sorted by their
    key, as the contract wants); drop=<column> leaves a column out; retype=<column>:<string|double>
    writes it with the wrong type; manifest=<dict> overrides manifest fields (to provoke
    reconciliation failures).
    """
    out.mkdir(parents=True, exist_ok=True)
    schema = SCHEMA
    if options.get("order") != "keep":
        # As the Glue job writes a date (glue/jobs/order_lines/publish.py): sorted by (order_id,
        # sku) in UTF-8 byte order, which the loader checks (docs/contracts.md).
        rows = sorted(rows, key=lambda r: tuple((r[c] or "").encode() for c in ("order_id", "sku")))
    table = pa.Table.from_pylist(rows, schema=SCHEMA) if rows else SCHEMA.empty_table()
    if options.get("retype"):
        col, kind = options["retype"].split(":")
        i = schema.get_field_index(col)
        target = {"string": STR, "double": pa.float64()}[kind]
        table = table.set_column(i, pa.field(col, target), table.column(i).cast(target))
    if options.get("drop"):
        table = table.drop_columns([options["drop"]])
    names = []
    per = max(1, -(-len(rows) // files)) if rows else 0
    for f in range(files if rows else 0):
        name = f"part-{f:05d}-fixture.snappy.parquet"
        pq.write_table(table.slice(f * per, per), out / name, compression="snappy", row_group_size=50_000)
        names.append(name)
    amount = sum((r["amount"] for r in rows if r["amount"] is not None), Decimal("0.00"))
    realised = sum((r["realised_amount"] for r in rows), Decimal("0.00"))
    manifest = {
        "dataset": dataset,
        "dt": day,
        "run_id": "fixture",
        "bronze_rows": len(rows),
        "redelivered_rows": 0,
        "duplicate_rows": 0,
        "quarantined_rows": 0,
        "silver_rows": len(rows),
        "silver_amount_sum": f"{amount:.2f}",
        "silver_realised_sum": f"{realised:.2f}",
        "files": names,
        "row_set_sha256": "0" * 64,
    }
    manifest.update(options.get("manifest") or {})
    (out / "_manifest.json").write_text(json.dumps(manifest))
    return manifest
