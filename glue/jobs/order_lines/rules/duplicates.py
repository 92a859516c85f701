"""Redeliveries and rule 9, duplicated (order_id, sku).

A redelivery is the same source row (source.uri + source.row) landed again, e.g. after
`stream-produce --force`: not a business fact, so all copies but one are dropped first and only
counted. A duplicate key is two different source rows for the same order line: rule 9 keeps one
(the non-cancelled line with an amount, then the earliest source row) and sends the others to
quarantine as kind `duplicate`, naming the row that was kept.

Both are decided within one (dataset, dt) partition, so running a date alone or inside a range
gives the same silver rows.
"""

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from ..marks import VIOLATIONS_COL

_POSITION = ("kafka_partition", "kafka_offset", "bronze_line")


def drop_redeliveries(df: DataFrame) -> DataFrame:
    """Adds `_redelivered`: true for every copy of a source row but the first landed one."""
    keyed = F.col("source_uri").isNotNull() & F.col("source_row").isNotNull()
    window = Window.partitionBy("dataset", "dt", "source_uri", "source_row").orderBy(*_POSITION)
    return df.withColumn("_redelivered", keyed & (F.row_number().over(window) > 1))


def drop_duplicate_keys(df: DataFrame) -> DataFrame:
    """Rule 9. Needs `_redelivered`, `_violations`, is_cancelled and amount. Adds `_duplicate` and
    `_duplicate_of` (the source row and Kafka position of the line that was kept)."""
    eligible = ~F.col("_redelivered") & (F.size(VIOLATIONS_COL) == 0)
    df = df.withColumn("_eligible", eligible)
    window = Window.partitionBy("_eligible", "dataset", "dt", "order_id", "sku").orderBy(
        F.col("is_cancelled").asc(),
        F.col("amount").isNull().asc(),
        F.col("source_uri").asc(),
        F.col("source_row").asc(),
        *_POSITION,
    )
    kept = F.first(
        F.format_string(
            "kept source row %s (kafka partition %s offset %s)",
            F.col("source_row"),
            F.col("kafka_partition"),
            F.col("kafka_offset"),
        )
    ).over(window.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing))
    duplicate = F.col("_eligible") & (F.row_number().over(window) > 1)
    return df.withColumns({"_duplicate": duplicate, "_duplicate_of": F.when(duplicate, kept)}).drop(
        "_eligible"
    )
