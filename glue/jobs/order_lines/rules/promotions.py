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
    df = df.withColumn("_promo_parts", parts)
    ids = F.array_distinct(F.col("_promo_parts"))
    return df.withColumns(
        {
            "promotion_ids": ids,
            "has_promotion": F.size(ids) > 0,
            "promo_count": F.size(ids),
            FLAGS_COL: flags((F.size(ids) < F.size("_promo_parts"), "promotion_repeated_ids")),
        }
    ).drop("_promo_parts")
