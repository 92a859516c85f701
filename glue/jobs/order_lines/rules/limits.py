"""Rule 10, the warehouse's limits and signs: a row the load could not store is quarantined here,
with its reason, instead of failing the whole day's load. Text longer than its warehouse column
(a 60,000-character promotion id, a SKU over 64) -> `too_long`; a negative amount, which the model
forbids -> `negative_amount`. The limits are the warehouse model's (tasks/src/warehouse/model/tables.ts,
silver/limits.ts); a unit test (tasks/test/unit/silver-limits.test.ts) holds the two lists equal."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import VIOLATIONS_COL, violation

# Characters per silver text column, as the warehouse columns behind them take.
LIMITS = {
    "dataset": 64,
    "order_id": 32,
    "sku": 64,
    "status": 64,
    "status_bucket": 16,
    "courier_status": 32,
    "fulfilment": 16,
    "sales_channel": 16,
    "ship_service_level": 16,
    "fulfilled_by": 32,
    "style": 32,
    "asin": 16,
    "category": 32,
    "size": 8,
    "ship_city": 128,
    "ship_state": 64,
    "ship_postal_code": 6,
    "ship_country": 8,
    "promotion_ids": 256,
}
SHOWN = 64  # characters of an over-long value kept in the quarantine row


def enforce_limits(df: DataFrame) -> DataFrame:
    """Adds a `too_long` violation per over-long column (promotion_ids: any one id over the limit)
    and a `negative_amount` one for an amount below zero."""
    for column, limit in LIMITS.items():
        if column == "promotion_ids":
            longest = F.array_max(F.transform(column, lambda x: F.length(x)))
            raw = F.substring(F.array_join(column, ","), 1, SHOWN)
            over = longest > limit
        else:
            over, raw = F.length(column) > limit, F.substring(column, 1, SHOWN)
        detail = f"longer than {limit} characters (the warehouse column's limit)"
        df = df.withColumn(VIOLATIONS_COL, violation(over, "too_long", column, raw, detail))
    return df.withColumn(
        VIOLATIONS_COL,
        violation(
            F.col("amount") < 0,
            "negative_amount",
            "amount",
            F.col("amount"),
            "the model forbids a negative amount",
        ),
    )
