"""Rules 5 and 10, revenue: gross, realised and lost amounts kept apart; Non-Amazon lines carry no
revenue.

gross_amount    = amount (0 when null), and 0 for Non-Amazon lines
realised_amount = gross_amount when status_bucket = realised, else 0
lost_amount     = gross_amount when status_bucket = cancelled, else 0 (imputed prices such as
                  647.62 on cancelled lines land here, never in realised revenue)
"""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import FLAGS_COL, flags

NON_AMAZON = "Non-Amazon"


def _zero():
    return F.lit(0).cast("decimal(12,2)")


def flag_non_amazon(df: DataFrame) -> DataFrame:
    """Rule 10: is_non_amazon from the (trimmed) sales channel. A Non-Amazon line that does carry an
    amount is flagged, since the source promises it never does."""
    channel = F.trim(F.col("sales_channel"))
    is_non_amazon = F.coalesce(channel == NON_AMAZON, F.lit(False))
    return df.withColumns(
        {
            "sales_channel": channel,
            "is_non_amazon": is_non_amazon,
            FLAGS_COL: flags((is_non_amazon & F.col("amount").isNotNull(), "non_amazon_amount_ignored")),
        }
    )


def derive_revenue(df: DataFrame) -> DataFrame:
    """Rule 5: needs amount (decimal), status_bucket and is_non_amazon."""
    gross = F.when(F.col("is_non_amazon"), _zero()).otherwise(F.coalesce(F.col("amount"), _zero()))
    bucket = F.col("status_bucket")
    return df.withColumns(
        {
            "gross_amount": gross,
            "realised_amount": F.when(bucket == "realised", gross).otherwise(_zero()),
            "lost_amount": F.when(bucket == "cancelled", gross).otherwise(_zero()),
            "is_cancelled": F.coalesce(bucket == "cancelled", F.lit(False)),
            FLAGS_COL: flags(
                (F.col("amount").isNull() & ~F.col("is_non_amazon"), "amount_missing"),
            ),
        }
    )
