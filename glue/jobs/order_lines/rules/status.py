"""Rule 4, status buckets: each of the 13 known statuses maps to one bucket. Any other value (a new
status, a null) is quarantined with rule `status_bucket`, never defaulted into a bucket."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import VIOLATIONS_COL, map_literal, violation

STATUS_BUCKETS = {
    "Shipped": "realised",
    "Shipped - Delivered to Buyer": "realised",
    "Shipped - Picked Up": "realised",
    "Shipped - Out for Delivery": "realised",
    "Shipping": "realised",
    "Cancelled": "cancelled",
    "Shipped - Returned to Seller": "returned",
    "Shipped - Returning to Seller": "returned",
    "Shipped - Rejected by Buyer": "returned",
    "Pending": "pending",
    "Pending - Waiting for Pick Up": "pending",
    "Shipped - Lost in Transit": "lost_damaged",
    "Shipped - Damaged": "lost_damaged",
}
BUCKETS = ("realised", "cancelled", "returned", "pending", "lost_damaged")


def bucket_status(df: DataFrame) -> DataFrame:
    """status -> status_bucket; the raw status is kept as is. Matching is exact after trimming:
    a differently spelt status is a new value for a human to map, not a guess."""
    lookup = map_literal(STATUS_BUCKETS.items())
    bucket = lookup[F.trim(F.col("status"))]
    return df.withColumns(
        {
            "status_bucket": bucket,
            VIOLATIONS_COL: violation(
                bucket.isNull() | F.col("status").isNull(),
                "status_bucket",
                "status",
                F.col("status"),
                "status has no bucket (add it to STATUS_BUCKETS and docs/contracts.md)",
            ),
        }
    )
