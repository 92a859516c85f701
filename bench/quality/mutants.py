"""Copies of one real silver partition, each mutated to break the silver suite in one known way, for
the per-expectation parity of our engine and Great Expectations (bench/quality/run.sh).

    .venv/bin/python bench/quality/mutants.py --source DIR --out DIR   -> OUT/<name>/ per mutant

Every mutant is one Parquet file; rows are picked by position (every k-th row), so the copies are
the same on every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def every(rows: list[dict], k: int, change) -> list[dict]:
    """Applies change(row) to every k-th row (a copy of each)."""
    out = []
    for n, r in enumerate(rows):
        r = dict(r)
        if n % k == 0:
            change(r)
        out.append(r)
    return out


def null_share(rows: list[dict], column: str, share: float, also: tuple[str, ...] = ()) -> list[dict]:
    """Nulls in `column` (and the `also` columns of the same rows) on the first rows until `share`
    of all rows are null."""
    target = int(len(rows) * share) - sum(r[column] is None for r in rows)
    out = []
    for r in rows:
        r = dict(r)
        if target > 0 and r[column] is not None:
            r.update(dict.fromkeys((column, *also)))
            target -= 1
        out.append(r)
    return out


def set_(**values):
    return lambda r: r.update(values)


def negative(r: dict) -> None:
    if r["amount"] is not None:
        r["amount"] = -r["amount"] - Decimal("1.00")


# name -> (what it breaks, rows -> rows, schema -> schema)
MUTANTS = {
    "amount_nulls_10pct": (
        "nulls above the warning mostly (0.92), below the critical (0.85)",
        lambda rows: null_share(rows, "amount", 0.10, also=("currency",)),
        None,
    ),
    "amount_nulls_20pct": (
        "nulls above both mostly of amount",
        lambda rows: null_share(rows, "amount", 0.20, also=("currency",)),
        None,
    ),
    "ship_city_nulls_0_5pct": (
        "nulls under ship_city's mostly (0.99): passes",
        lambda rows: null_share(rows, "ship_city", 0.005),
        None,
    ),
    "ship_city_nulls_3pct": (
        "nulls over ship_city's mostly (0.99)",
        lambda rows: null_share(rows, "ship_city", 0.03),
        None,
    ),
    "b2b_nulls": (
        "nulls in a column that must have none",
        lambda rows: every(rows, 50, set_(b2b=None)),
        None,
    ),
    "status_out_of_set": (
        "a status outside the set",
        lambda rows: every(rows, 40, set_(status="Delivered-ish")),
        None,
    ),
    "currency_out_of_set": ("currency USD", lambda rows: every(rows, 30, set_(currency="USD")), None),
    "amount_negative": ("negative amounts", lambda rows: every(rows, 20, negative), None),
    "qty_out_of_range": ("qty 99", lambda rows: every(rows, 25, set_(qty=99)), None),
    "order_id_bad_format": (
        "order ids not matching the regex",
        lambda rows: every(rows, 33, set_(order_id="X-1")),
        None,
    ),
    "duplicate_keys": (
        "rows repeated: (dataset, order_id, sku), source_index, kafka keys",
        lambda rows: rows + rows[:40],
        None,
    ),
    "order_date_out_of_range": (
        "order dates a year before dt",
        lambda rows: every(rows, 15, set_(order_date=dt.date(2021, 4, 30))),
        None,
    ),
    "fulfilled_by_amazon": (
        "fulfilled_by set on Amazon-fulfilled rows (row_condition)",
        lambda rows: [r | {"fulfilled_by": "Easy Ship"} if r["fulfilment"] == "Amazon" else r for r in rows],
        None,
    ),
    "qty_as_text": (
        "qty stored as text (numeric strings)",
        lambda rows: [r | {"qty": str(r["qty"])} for r in rows],
        lambda s: s.set(s.get_field_index("qty"), pa.field("qty", pa.string())),
    ),
    "qty_as_float": (
        "qty stored as float64",
        lambda rows: [r | {"qty": float(r["qty"])} for r in rows],
        lambda s: s.set(s.get_field_index("qty"), pa.field("qty", pa.float64())),
    ),
    "extra_column": (
        "a column not in the contract",
        lambda rows: [r | {"extra": "x"} for r in rows],
        lambda s: s.append(pa.field("extra", pa.string())),
    ),
    "missing_column": (
        "no currency column",
        lambda rows: [{k: v for k, v in r.items() if k != "currency"} for r in rows],
        lambda s: s.remove(s.get_field_index("currency")),
    ),
    "empty_file": ("a file with the schema and no rows", lambda rows: [], None),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", required=True, type=Path, help="a silver partition folder (Parquet files)")
    p.add_argument("--out", required=True, type=Path)
    a = p.parse_args()
    table = pa.concat_tables([pq.ParquetFile(f).read() for f in sorted(a.source.glob("*.parquet"))])
    # Nullable everywhere: the mutants put nulls where the contract (and its Parquet schema) forbids them.
    rows, schema = table.to_pylist(), pa.schema([f.with_nullable(True) for f in table.schema])
    made = {}
    for name, (why, mutate, reshape) in MUTANTS.items():
        folder = a.out / name
        folder.mkdir(parents=True, exist_ok=True)
        out_schema = reshape(schema) if reshape else schema
        mutated = pa.Table.from_pylist(mutate(rows), schema=out_schema)
        pq.write_table(mutated, folder / "part-00000-mutant.snappy.parquet")
        made[name] = {"breaks": why, "rows": mutated.num_rows}
    print(json.dumps(made))


if __name__ == "__main__":
    main()
