"""pandas peer of the Spark job: reads the same bronze NDJSON, applies the same rules
(pandas_rules.py), writes silver and quarantine Parquet per date and a JSON line of counts.

    .venv-bench/bin/python bench/transform/pandas_clean.py --lake DIR --dataset D --dt A --to B --out DIR
"""

import argparse
import glob
import json
import os
import sys
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "..", "glue", "jobs")]

import pandas_rules as rules  # noqa: E402
from order_lines import reference  # noqa: E402  (stdlib only: no Spark needed)

FLAG_ORDER = (
    "qty_missing postal_code_placeholder postal_code_invalid non_amazon_amount_ignored amount_missing "
    "promotion_repeated_ids"
).split()
RULE_ORDER = (
    "missing_value qty_type amount_type b2b_type date_format date_invalid date_partition status_bucket"
).split()


def read_bronze(lake: str, dataset: str, dates: list[str]) -> pd.DataFrame:
    records = []
    for d in dates:
        for path in sorted(glob.glob(f"{lake}/lake/bronze/order_lines/dataset={dataset}/dt={d}/*.ndjson")):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        e = json.loads(line)
                        e["dt"], e["bronze_line"] = date.fromisoformat(d), line.rstrip("\n")
                        records.append(e)
    df = pd.json_normalize(records)
    df = df.rename(columns=lambda c: c.split(".", 1)[1] if c.startswith("line.") else c.replace(".", "_"))
    df["kafka_offset"] = pd.to_numeric(df["kafka_offset"]).astype("int64")  # exact decimal text in bronze
    return df


def clean(df: pd.DataFrame, ref) -> pd.DataFrame:
    df = df.sort_values(["kafka_partition", "kafka_offset"])
    df["fate"] = np.where(df.duplicated(["source_uri", "source_row"], keep="first"), "redelivered", "")
    flags, bad = {}, {}
    rules.types_and_dates(df, flags, bad)
    rules.status_and_revenue(df, flags, bad)
    geo = rules.geography_and_promotions(df, ref, flags)
    rejected = np.zeros(len(df), dtype=bool)
    first_rule = np.full(len(df), None, dtype=object)
    for name in reversed(RULE_ORDER):  # the first failing rule wins
        hit = bad[name].fillna(False).to_numpy()
        first_rule[hit] = name
        rejected |= hit
    df["rule"] = first_rule
    df.loc[(df["fate"] == "") & rejected, "fate"] = "quarantined"
    # Rule 9's preference: not cancelled, then has an amount, then the earliest source row.
    eligible = df[df["fate"] == ""].assign(_no_amount=lambda d: d["amount"].isna())
    eligible = eligible.sort_values(
        ["dt", "order_id", "sku", "is_cancelled", "_no_amount", "source_uri", "source_row"]
    )
    dup = eligible.index[eligible.duplicated(["dt", "order_id", "sku"], keep="first")]
    df.loc[dup, "fate"], df.loc[dup, "rule"] = "duplicate", "duplicate_key"
    df.loc[df["fate"] == "", "fate"] = "silver"
    flag_cols = [flags[n].fillna(False).to_numpy() for n in FLAG_ORDER]
    df["dq_flags"] = [
        [n for n, v in zip(FLAG_ORDER, row, strict=True) if v] + g
        for row, g in zip(zip(*flag_cols, strict=True), geo, strict=True)
    ]
    return df


def write(df: pd.DataFrame, out: str, dataset: str) -> dict:
    counts = {}
    for dt, part in df.groupby("dt"):
        d = dt.isoformat()
        silver = part[part["fate"] == "silver"].sort_values(["order_id", "sku"])
        table = pa.Table.from_pandas(
            silver.drop(columns=["fate", "rule", "bronze_line"]), preserve_index=False
        )
        for c in ("amount", "gross_amount", "realised_amount", "lost_amount"):
            i = table.schema.get_field_index(c)
            table = table.set_column(i, c, table[c].cast(pa.decimal128(12, 2), safe=False))
        folder = f"{out}/silver/dataset={dataset}/dt={d}"
        os.makedirs(folder, exist_ok=True)
        pq.write_table(table, f"{folder}/part-0.snappy.parquet", compression="snappy")
        q = part[part["fate"].isin(["quarantined", "duplicate"])][
            ["dt", "fate", "rule", "source_uri", "source_row", "bronze_line"]
        ]
        qfolder = f"{out}/quarantine/dataset={dataset}/dt={d}"
        os.makedirs(qfolder, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(q, preserve_index=False), f"{qfolder}/part-0.snappy.parquet")
        fates = part["fate"].value_counts().to_dict()
        counts[d] = {
            "bronze_rows": len(part),
            **{
                f"{f}_rows": int(fates.get(f, 0))
                for f in ("redelivered", "duplicate", "quarantined", "silver")
            },
            "silver_realised_sum": round(float(silver["realised_amount"].sum()), 2),
        }
    return counts


def main() -> None:
    p = argparse.ArgumentParser()
    for name in ("lake", "dataset", "dt", "to", "out"):
        p.add_argument(f"--{name}", required=True)
    a = p.parse_args()
    t0 = time.time()
    first, last = date.fromisoformat(a.dt), date.fromisoformat(a.to)
    dates = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    df = read_bronze(a.lake, a.dataset, dates)
    t_read = time.time()
    df = clean(df, reference.load())
    t_clean = time.time()
    counts = write(df, a.out, a.dataset)
    t_end = time.time()
    timings = {"read_s": t_read - t0, "clean_s": t_clean - t_read, "write_s": t_end - t_clean}
    print(json.dumps({"counts": counts, "timings": {k: round(v, 2) for k, v in timings.items()}}))


if __name__ == "__main__":
    main()
