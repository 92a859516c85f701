"""Reconciliation of one run, per (dataset, dt), in one aggregation over the cleaned rows: every
bronze row has exactly one fate, so bronze_rows = redelivered_rows + duplicate_rows +
quarantined_rows + silver_rows; with the silver sums, per-bucket figures, quarantine rules, flag
counts, the silver row-set checksum, and the bronze schema problems (checked before any write)."""

from collections import Counter
from decimal import Decimal

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .columns import DQ_FLAGS, EVENT_SCHEMA_ID
from .errors import SchemaDriftError
from .pipeline import FATES, row_sha256
from .rules.status import BUCKETS

MONEY = {"silver_amount_sum": "amount", "silver_realised_sum": "realised_amount"}
MONEY |= {"silver_gross_sum": "gross_amount", "silver_lost_sum": "lost_amount"}


def _money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def _silver(expr):
    return F.when(F.col("fate") == "silver", expr)


def _aggregations() -> list:
    aggs = [F.count(F.lit(1)).alias("bronze_rows")]
    aggs += [F.count(F.when(F.col("fate") == f, 1)).alias(f"{f}_rows") for f in FATES]
    aggs += [F.sum(_silver(F.col(c))).alias(k) for k, c in MONEY.items()]
    # Order-independent: the sorted per-row hashes, hashed again.
    aggs.append(
        F.sha2(F.array_join(F.sort_array(F.collect_list(_silver(row_sha256()))), "\n"), 256).alias("row_set")
    )
    for b in BUCKETS:
        in_bucket = (F.col("fate") == "silver") & (F.col("status_bucket") == b)
        aggs += [
            F.count(F.when(in_bucket, 1)).alias(f"rows_{b}"),
            F.sum(F.when(in_bucket, F.col("gross_amount"))).alias(f"gross_{b}"),
        ]
    aggs += [
        F.count(_silver(F.when(F.array_contains("dq_flags", f), 1))).alias(f"flag_{f}") for f in DQ_FLAGS
    ]
    rule = F.when(F.col("fate") == "duplicate", F.lit("duplicate_key")).when(
        F.col("fate") == "quarantined", F.get("_violations", 0)["rule"]
    )
    aggs.append(F.collect_list(rule).alias("rules"))
    parsed = ~F.col("_unparsed")
    aggs.append(
        F.array_distinct(F.flatten(F.collect_set(F.when(parsed, F.col("_key_problems.missing"))))).alias(
            "missing"
        )
    )
    aggs.append(
        F.array_distinct(F.flatten(F.collect_set(F.when(parsed, F.col("_key_problems.unexpected"))))).alias(
            "unexpected"
        )
    )
    aggs.append(F.collect_set("_schema").alias("schema_ids"))
    return aggs


def partition_stats(cleaned: DataFrame) -> tuple[dict[str, dict], list[SchemaDriftError]]:
    """Returns the manifest figures keyed by dt (ISO text) and the schema problems, if any."""
    stats: dict[str, dict] = {}
    problems: list[SchemaDriftError] = []
    for row in sorted(
        cleaned.groupBy("dataset", "dt").agg(*_aggregations()).collect(), key=lambda r: r["dt"]
    ):
        dt = row["dt"].isoformat()
        ids = sorted(s for s in row["schema_ids"] if s != EVENT_SCHEMA_ID)
        other = [f'event schema {", ".join(ids)} (expected "{EVENT_SCHEMA_ID}")'] if ids else []
        if row["missing"] or row["unexpected"] or other:
            where = f"bronze dataset={row['dataset']} dt={dt}"
            problems.append(SchemaDriftError(where, row["missing"], row["unexpected"], other))
        stats[dt] = {
            "bronze_rows": row["bronze_rows"],
            **{f"{f}_rows": row[f"{f}_rows"] for f in ("redelivered", "duplicate", "quarantined", "silver")},
            **{k: _money(row[k]) for k in MONEY},
            "row_set_sha256": row["row_set"],
            "buckets": {
                b: {"rows": row[f"rows_{b}"], "gross_amount": _money(row[f"gross_{b}"])} for b in BUCKETS
            },
            "quarantine_rules": dict(sorted(Counter(row["rules"]).items())),
            "dq_flags": {f: row[f"flag_{f}"] for f in DQ_FLAGS if row[f"flag_{f}"]},
        }
    return stats, problems
