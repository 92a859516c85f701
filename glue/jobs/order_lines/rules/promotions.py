"""Rule 8, promotions: `promotion-ids` is a comma-joined list of 1..33 ids (a multi-valued attribute,
the warehouse's bridge table). Split it, trim each id, drop empties and repeats (keeping the first
occurrence's order); has_promotion and promo_count follow from the array. Never group by the raw
string."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import FLAGS_COL, flags


def split_promotions(df: DataFrame) -> DataFrame:
    """promotion_ids (text) -> array<string>, empty when there is none."""
    parts = F.filter(
        F.transform(F.split(F.coalesce(F.col("promotion_ids"), F.lit("")), ","), lambda x: F.trim(x)),
        lambda x: x != "",
    )
    # One projection per step: each array is built once per row, then only measured.
    df = df.withColumn("_promo_parts", parts)
    df = df.withColumns(
        {"promotion_ids": F.array_distinct("_promo_parts"), "_promo_raw_count": F.size("_promo_parts")}
    )
    count = F.size("promotion_ids")
    return df.withColumns(
        {
            "has_promotion": count > 0,
            "promo_count": count,
            FLAGS_COL: flags((count < F.col("_promo_raw_count"), "promotion_repeated_ids")),
        }
    ).drop("_promo_parts", "_promo_raw_count")
