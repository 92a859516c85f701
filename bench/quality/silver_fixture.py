"""Silver order lines built from the real sample, following docs/contracts.md, for the quality tests
and the benchmark (the real transform lives in glue/; this is a small, independent stand-in).

    .venv/bin/python bench/quality/silver_fixture.py --out DIR [--rows N] [--dt 2022-04-30]

Without --rows: one partition per order date of the sample, DIR/dataset=kaggle-sample/dt=<d>/ with
part files and _manifest.json. With --rows N: one partition (dt) of N rows made by repeating the
sample with rewritten order ids, source indexes and offsets (so keys stay unique), for benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from silver_rules import SCHEMA, silver_row

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "amazon_sale_report_sample.csv"
ROWS_PER_FILE = 131_072
ROWS_PER_GROUP = 32_768


def read_sample() -> list[dict[str, str]]:
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rewrite(row: dict, copy: int, offset: int) -> dict:
    """A copy of a silver row with keys made unique for copy number `copy`."""
    out = dict(row)
    oid = row["order_id"]
    if copy:
        if re.match(r"^\d{3}-", oid):
            oid = f"{(500 + copy) % 1000:03d}{oid[3:]}"  # the sample uses 17x and 40x prefixes
        else:
            head, mid, last = oid.split("-")
            oid = f"{head}-{mid}-{(int(last) + copy) % 10**7:07d}"
    out["order_id"] = oid
    out["source_index"] = row["source_index"] + copy * 1_000_000
    out["kafka_offset"] = offset
    return out


def write_partition(chunks, folder: Path, dataset: str, day: str) -> int:
    """Writes an iterable of row lists as part files (one per list) plus the partition manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    files, rows, amount, realised = [], 0, Decimal(0), Decimal(0)
    for n, chunk in enumerate(chunks):
        name = f"part-{n:05d}-fixture.snappy.parquet"
        table = pa.Table.from_pylist(chunk, schema=SCHEMA)
        pq.write_table(table, folder / name, compression="snappy", row_group_size=ROWS_PER_GROUP)
        files.append(name)
        rows += len(chunk)
        amount += sum((r["amount"] or Decimal(0)) for r in chunk)
        realised += sum(r["realised_amount"] for r in chunk)
    counts = {"bronze_rows": rows, "redelivered_rows": 0, "duplicate_rows": 0, "quarantined_rows": 0}
    manifest = {"dataset": dataset, "dt": day, "run_id": "fixture", **counts, "silver_rows": rows}
    manifest |= {"silver_amount_sum": str(amount), "silver_realised_sum": str(realised), "files": files}
    (folder / "_manifest.json").write_text(json.dumps(manifest, indent=1))
    return rows


def scaled(silver: list[dict], rows: int, day: dt.date):
    """The sample repeated to `rows` rows, one list per part file, keys kept unique."""
    for start in range(0, rows, ROWS_PER_FILE):
        chunk = []
        for n in range(start, min(rows, start + ROWS_PER_FILE)):
            r = rewrite(silver[n % len(silver)], n // len(silver), n)
            r["dt"] = r["order_date"] = day
            chunk.append(r)
        yield chunk


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--rows", type=int, default=0)
    p.add_argument("--dt", default="2022-04-30")
    p.add_argument("--dataset", default="kaggle-sample")
    a = p.parse_args()
    sample = read_sample()
    silver, quarantined = [], 0
    for i, src in enumerate(sample):
        row = silver_row(src, a.dataset, offset=i)
        if row is None:
            quarantined += 1
        else:
            silver.append(row)
    if not a.rows:
        for day in sorted({r["dt"] for r in silver}):
            rows = [r for r in silver if r["dt"] == day]
            write_partition([rows], a.out / f"dataset={a.dataset}" / f"dt={day}", a.dataset, str(day))
        print(json.dumps({"rows": len(silver), "quarantined": quarantined}))
        return
    folder = a.out / f"dataset={a.dataset}" / f"dt={a.dt}"
    n = write_partition(scaled(silver, a.rows, dt.date.fromisoformat(a.dt)), folder, a.dataset, a.dt)
    print(json.dumps({"rows": n}))


if __name__ == "__main__":
    main()
