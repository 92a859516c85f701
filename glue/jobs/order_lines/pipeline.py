"""The cleaning rules in order, and the three views of their result: the fate of every bronze row,
the silver rows and the quarantine rows."""

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .columns import QUARANTINE_COLUMNS, SILVER_COLUMNS, VIOLATION
from .marks import VIOLATIONS_COL
from .reference import Reference
from .rules.city import normalise_city
from .rules.dates import parse_order_date
from .rules.duplicates import drop_duplicate_keys, drop_redeliveries
from .rules.limits import enforce_limits
from .rules.promotions import split_promotions
from .rules.revenue import derive_revenue, flag_non_amazon
from .rules.state import canonicalise_state
from .rules.status import bucket_status
from .rules.types import parse_types, require_line_key

FATES = ("redelivered", "quarantined", "duplicate", "silver")


def clean(bronze: DataFrame, ref: Reference) -> DataFrame:
    """Applies every rule to the rows read by bronze.read_bronze and adds `fate`, one of FATES.

    Redeliveries are decided first, then the row rules (which add violations and flags), then
    rule 9 among the rows that survived them: a key whose only clean line is the second one keeps
    that line.
    """
    df = drop_redeliveries(bronze)
    df = require_line_key(df)
    df = parse_types(df)
    df = parse_order_date(df)
    df = bucket_status(df)
    df = flag_non_amazon(df)
    df = derive_revenue(df)
    df = canonicalise_state(df, ref)
    df = normalise_city(df, ref)
    df = split_promotions(df)
    df = enforce_limits(df)
    df = drop_duplicate_keys(df)
    fate = (
        F.when(F.col("_redelivered"), "redelivered")
        .when(F.size(VIOLATIONS_COL) > 0, "quarantined")
        .when(F.col("_duplicate"), "duplicate")
        .otherwise("silver")
    )
    return df.withColumn("fate", fate)


def row_sha256() -> Column:
    """sha256 of a silver row's content (its columns as JSON, in contract order)."""
    return F.sha2(F.to_json(F.struct(*SILVER_COLUMNS)), 256)


def silver_rows(cleaned: DataFrame) -> DataFrame:
    """The silver columns of the rows whose fate is silver."""
    return cleaned.where(F.col("fate") == "silver").select(*SILVER_COLUMNS)


def quarantine_rows(cleaned: DataFrame) -> DataFrame:
    """One row per quarantined or duplicate bronze row: the first violation as rule/column/raw
    value/detail, all violations, and the source and Kafka position of the line."""
    q = cleaned.where(F.col("fate").isin("quarantined", "duplicate"))
    duplicate = F.struct(
        F.lit("duplicate_key").alias("rule"),
        F.lit("order_id,sku").alias("column"),
        F.concat_ws("|", "order_id", "sku").alias("raw_value"),
        F.col("_duplicate_of").alias("detail"),
    ).cast(VIOLATION)
    violations = F.when(F.col("fate") == "duplicate", F.array(duplicate)).otherwise(F.col(VIOLATIONS_COL))
    q = q.withColumns(
        {
            "kind": F.when(F.col("fate") == "duplicate", "duplicate").otherwise("rejected"),
            "violations": violations,
        }
    )
    first = F.get("violations", 0)
    q = q.withColumns(
        {
            "rule": first["rule"],
            "column": first["column"],
            "raw_value": first["raw_value"],
            "detail": first["detail"],
        }
    )
    return q.select(*QUARANTINE_COLUMNS)
