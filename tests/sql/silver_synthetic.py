"""Synthetic silver at benchmark sizes, and the command line of the fixture builder.

Rows are drawn from a pool of plausible lines (statuses, SKUs, addresses, promotion lists shaped
like the real extract's) and given unique order ids, so a million rows take seconds to write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).parent))
from silver_fixture import SCHEMA, complete, write_partition  # noqa: E402

STATUSES = (
    ["Shipped"] * 60
    + ["Shipped - Delivered to Buyer"] * 22
    + ["Cancelled"] * 14
    + ["Pending", "Shipped - Returned to Seller"]
)
# Lines per category in the real extract (the 128,975 rows of ../shared/data/category_amount_full.csv,
# Kaggle "Amazon Sale Report"): two categories hold three quarters of the lines and Saree 0.13 %, so
# a query for one category is as selective here as on the real data (Dupatta's 3 lines are too rare
# for the pool).
CATEGORIES = {
    "Set": 50284,
    "kurta": 49877,
    "Western Dress": 15500,
    "Top": 10622,
    "Ethnic Dress": 1159,
    "Blouse": 926,
    "Bottom": 440,
    "Saree": 164,
}
SIZES = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "Free"]
PLACES = [
    ("MUMBAI", "MAHARASHTRA", "400081"),
    ("BENGALURU", "KARNATAKA", "560085"),
    ("HYDERABAD", "TELANGANA", "500032"),
    ("NEW DELHI", "DELHI", "110074"),
    ("CHENNAI", "TAMIL NADU", "600041"),
    ("KOLKATA", "WEST BENGAL", "700029"),
    ("PUNE", "MAHARASHTRA", "411038"),
    ("JAIPUR", "RAJASTHAN", "302017"),
    ("PATNA", "BIHAR", "800001"),
    (None, None, None),
]
PLCC = [f"Amazon PLCC Free-Financing Universal Merchant AAT-{i:04d}" for i in range(40)]


def template_pool(rng: random.Random, size: int = 4000) -> pa.Table:
    """Complete silver rows to sample from (dataset, dates and order ids are replaced later)."""
    rows = []
    for n in range(size):
        style = f"JNE{3000 + rng.randrange(1400)}"
        merchant = rng.random() < 0.3
        city, state, pin = rng.choice(PLACES)
        promos = []
        if rng.random() < 0.6:
            promos = rng.sample(PLCC, rng.randint(1, 12))
            if rng.random() < 0.2:
                promos.append("IN Core Free Shipping 2015/04/08 23-48-5-108")
        row = {
            "sku": f"{style}-KR-{rng.choice(SIZES)}",
            "style": style,
            "asin": f"B0{rng.randrange(10**8):08d}",
            "category": rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0],
            "size": rng.choice(SIZES),
            "status": rng.choice(STATUSES),
            "fulfilment": "Merchant" if merchant else "Amazon",
            "ship_service_level": "Standard" if merchant or rng.random() < 0.3 else "Expedited",
            "fulfilled_by": "Easy Ship" if merchant else None,
            "qty": rng.choice([1, 1, 1, 1, 2, 0]),
            "amount": None if rng.random() < 0.06 else f"{rng.randrange(19900, 150000) / 100:.2f}",
            "ship_city": city,
            "ship_state": state,
            "ship_postal_code": pin,
            "ship_country": None if city is None else "IN",
            "promotion_ids": promos,
            "b2b": rng.random() < 0.007,
        }
        if rng.random() < 0.001:
            row.update(sales_channel="Non-Amazon", amount=None)
        rows.append(complete(row, "pool", "2022-01-01", n))
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def synthetic_table(
    pool: pa.Table,
    rng: random.Random,
    dataset: str,
    day: str,
    rows: int,
    offset: int,
    width: int = 7,
    leading: int | None = None,
) -> pa.Table:
    """`rows` lines of one day drawn from the pool, with unique order ids (`width` digits of line
    number in the middle part; columnar, no Python rows), in (order_id, sku) order as the Glue job
    writes a date (glue/jobs/order_lines/publish.py). `leading` fixes the ids' first part (else it
    varies by line), so tables written one after another with rising values stay in key order."""
    picked = pool.take(pa.array([rng.randrange(pool.num_rows) for _ in range(rows)]))
    date = dt.date.fromisoformat(day)
    ids = [
        f"{400 + n % 500 if leading is None else leading:03d}-{n:0{width}d}-{n * 7919 % 10**7:07d}"
        for n in range(offset, offset + rows)
    ]
    replace = {
        "dataset": pa.array([dataset] * rows),
        "dt": pa.array([date] * rows, pa.date32()),
        "order_date": pa.array([date] * rows, pa.date32()),
        "order_id": pa.array(ids),
        "source_index": pc.add(pa.array(range(rows), pa.int64()), offset),
        "kafka_offset": pc.add(pa.array(range(rows), pa.int64()), offset),
    }
    for name, values in replace.items():
        i = picked.schema.get_field_index(name)
        picked = picked.set_column(i, picked.schema.field(i), values)
    return picked.sort_by([("order_id", "ascending"), ("sku", "ascending")])


def synthetic_day(
    pool: pa.Table, rng: random.Random, dataset: str, day: str, rows: int, offset: int
) -> list[dict]:
    """`rows` lines of one day drawn from the pool, as dicts for write_partition."""
    return synthetic_table(pool, rng, dataset, day, rows, offset).to_pylist()


def days(first: str, last: str) -> list[str]:
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [(a + dt.timedelta(d)).isoformat() for d in range((b - a).days + 1)]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["rows", "synthetic"])
    p.add_argument(
        "--out", required=True, type=Path, help="folder of the partition (rows) or of dt=<d>/ folders"
    )
    p.add_argument("--dataset", required=True)
    p.add_argument("--dt", help="rows: the partition date")
    p.add_argument("--from", dest="first")
    p.add_argument("--to", dest="last")
    p.add_argument(
        "--rows", type=int, default=1000, help="synthetic: rows in total, spread evenly over the days"
    )
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--files", type=int, default=1)
    p.add_argument("--keep-order", action="store_true", help="rows: write them unsorted, as given")
    p.add_argument("--drop")
    p.add_argument("--retype")
    p.add_argument("--manifest", type=json.loads, help="JSON object of manifest fields to override")
    a = p.parse_args(argv)
    if a.mode == "rows":
        partial = json.load(sys.stdin)
        rows = [complete(r, a.dataset, a.dt, i) for i, r in enumerate(partial)]
        write_partition(
            rows,
            a.out,
            a.dataset,
            a.dt,
            a.files,
            drop=a.drop,
            retype=a.retype,
            manifest=a.manifest,
            order="keep" if a.keep_order else "key",
        )
        return 0
    rng = random.Random(a.seed)
    pool = template_pool(rng)
    dates = days(a.first, a.last)
    offset = 0
    for i, day in enumerate(dates):
        n = a.rows // len(dates) + (1 if i < a.rows % len(dates) else 0)
        rows = synthetic_day(pool, rng, a.dataset, day, n, offset)
        write_partition(rows, a.out / f"dt={day}", a.dataset, day, a.files)
        offset += n
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
