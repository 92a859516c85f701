"""Writes the same silver lines in several Parquet encodings, for the warehouse reader's unit test.

    .venv/bin/python tests/sql/silver_encodings.py   # rewrites tasks/test/fixtures/silver-encodings/

Writers differ in how they encode the same data: dictionary or plain pages, data page v1 or v2,
decimals as fixed bytes or integers, optional or required columns, pages and row groups that split
lists. The reader must read every variant to the same lines.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from silver_fixture import SCHEMA, complete  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "tasks" / "test" / "fixtures" / "silver-encodings"
NOT_NULL = {"dataset", "dt", "order_id", "sku", "order_date", "status", "status_bucket", "qty"}


def rows() -> list[dict]:
    """40 lines: missing prices and addresses, repeated and empty promotion lists, odd text."""
    out = []
    for n in range(40):
        row: dict = {
            "sku": f"SKU{n % 5}-KR-{'SML'[n % 3]}",
            "style": f"SKU{n % 5}",
            "category": ["kurta", "Set", "Top"][n % 3],
            "status": ["Shipped", "Cancelled", "Shipped - Delivered to Buyer"][n % 3],
            "amount": None if n % 7 == 3 else f"{(n * 1234.56) % 99999:.2f}",
            "qty": n % 4,
            "promotion_ids": [[], ["VPC-1", "VPC-2"], ["VPC-2", "VPC-1", "VPC-1"], [f"VPC-{n}"]][n % 4],
        }
        if n % 9 == 4:
            row.update(ship_city=None, ship_state=None, ship_postal_code=None, ship_country=None)
        if n % 11 == 5:
            row.update(fulfilment=None, sales_channel=None, ship_service_level=None, fulfilled_by=None)
        if n == 7:
            row.update(ship_city="THIRUVANANTHAPURAM — Kazhakkoottam", order_id="171-tab\there-back\\slash")
        if n == 8:
            row.update(amount="99999999.99", status="Shipped - Lost in Transit")
        out.append(complete(row, "unit", "2022-04-30", n))
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # In key order, as the contract wants a date's lines (the loader checks it).
    table = pa.Table.from_pylist(rows(), schema=SCHEMA)
    table = table.sort_by([("order_id", "ascending"), ("sku", "ascending")])
    required = pa.schema(
        [
            f.with_nullable(f.name not in NOT_NULL)
            if not pa.types.is_list(f.type)
            else pa.field(f.name, pa.list_(pa.field("element", pa.string(), nullable=False)), nullable=False)
            for f in SCHEMA
        ]
    )
    variants = {
        "dictionary-v1": dict(row_group_size=16, data_page_size=64, write_batch_size=8),
        "plain-v2-int-decimals": dict(
            use_dictionary=False, data_page_version="2.0", store_decimal_as_integer=True, row_group_size=25
        ),
        "required-uncompressed": dict(compression="none", data_page_size=128, write_batch_size=5),
        # Encodings the loader's page decoder leaves to hyparquet (tasks/src/warehouse/silver/decode).
        "delta-fallback": dict(
            use_dictionary=False,
            column_encoding={
                "order_id": "DELTA_BYTE_ARRAY",
                "sku": "DELTA_LENGTH_BYTE_ARRAY",
                "qty": "DELTA_BINARY_PACKED",
            },
        ),
    }
    for name, options in variants.items():
        t = table.cast(required) if name.startswith("required") else table
        pq.write_table(t, OUT / f"{name}.parquet", **options)


if __name__ == "__main__":
    main()
