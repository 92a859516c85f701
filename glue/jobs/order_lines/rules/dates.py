"""Rule 3, dates: the source writes `MM-DD-YY` (04-30-22). It is parsed with exactly that pattern,
never a lenient parser. A row whose date has another format, is not a calendar day, or is not the
day of the partition it was landed in is quarantined with the reason.

A partition that mixes formats shows up as `date_format` rows in quarantine (the producer already
dead-letters such rows, so in bronze they mean a writer bug upstream).
"""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import VIOLATIONS_COL, violation

SOURCE_DATE_PATTERN = "MM-dd-yy"
_SHAPE = r"^[0-9]{2}-[0-9]{2}-[0-9]{2}$"


def parse_order_date(df: DataFrame) -> DataFrame:
    """date (text) -> order_date (date). Needs `dt`, the partition's date.

    `yy` reads as 20yy. A real calendar day is checked by formatting the parsed date back: a
    parser that rolled 02-30-22 over to March would not round-trip.
    """
    raw = F.trim(F.col("date"))
    shaped = raw.rlike(_SHAPE)
    # try_to_timestamp exists in Spark 3.5 (Glue 5) and 4.x and yields null instead of failing.
    parsed = F.to_date(F.try_to_timestamp(F.when(shaped, raw), F.lit(SOURCE_DATE_PATTERN)))
    real_day = parsed.isNotNull() & (F.date_format(parsed, SOURCE_DATE_PATTERN) == raw)
    checked = df.withColumns(
        {
            "order_date": F.when(real_day, parsed),
            "_date_state": F.when(raw.isNull() | ~shaped, F.lit("format"))
            .when(~real_day, F.lit("invalid"))
            .when(parsed != F.col("dt"), F.lit("partition")),
        }
    )
    state = F.col("_date_state")
    partition_detail = F.concat(F.lit("order date is not the partition date "), F.col("dt").cast("string"))
    for rule, detail in (
        ("format", F.lit("expected MM-DD-YY")),
        ("invalid", F.lit("not a calendar date")),
        ("partition", partition_detail),
    ):
        checked = checked.withColumn(
            VIOLATIONS_COL, violation(state == rule, f"date_{rule}", "date", F.col("date"), detail)
        )
    return checked.drop("_date_state")
