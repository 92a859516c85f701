"""Rule 2, types: everything arrives as text; qty becomes int, amount decimal(12,2) (the line total,
exactly as written, never qty x price), B2B boolean, the postal code a 6-character string, the CSV
index a bigint.

Each value is matched against a pattern before it is cast, so no cast can fail (Spark 4 runs ANSI
mode, Glue 5's Spark 3.5 does not: the result is the same on both).
"""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..marks import FLAGS_COL, VIOLATIONS_COL, flag, flags, violation

PLACEHOLDER_PIN = "989898"
_QTY = r"^[0-9]{1,9}$"
# At most 10 integer digits and 2 decimals: fits decimal(12,2) without rounding.
_AMOUNT = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"
_PIN = r"^([0-9]{6})(\.0+)?$"


def parse_quantity(df: DataFrame) -> DataFrame:
    """qty -> int. Not a whole number: quarantined (`qty_type`); missing: null and flagged."""
    raw = F.trim(F.col("qty"))
    ok = raw.rlike(_QTY)
    return df.withColumns(
        {
            "qty": F.when(ok, raw.cast("int")),
            VIOLATIONS_COL: violation(
                raw.isNotNull() & ~ok, "qty_type", "qty", F.col("qty"), "not a whole number 0..999999999"
            ),
            FLAGS_COL: flag(raw.isNull(), "qty_missing"),
        }
    )


def parse_amount(df: DataFrame) -> DataFrame:
    """amount -> decimal(12,2), the line total as written. Text that is not a decimal with at most
    two places (or too large) is quarantined (`amount_type`): rounding it would invent revenue."""
    raw = F.trim(F.col("amount"))
    ok = raw.rlike(_AMOUNT)
    return df.withColumns(
        {
            "amount": F.when(ok, raw.cast("decimal(12,2)")),
            VIOLATIONS_COL: violation(
                raw.isNotNull() & ~ok,
                "amount_type",
                "amount",
                F.col("amount"),
                "not a decimal with at most 2 places that fits decimal(12,2)",
            ),
        }
    )


def parse_b2b(df: DataFrame) -> DataFrame:
    """B2B `True`/`False` (any case) -> boolean; anything else, null included, is quarantined."""
    raw = F.lower(F.trim(F.col("b2b")))
    ok = raw.isin("true", "false")
    return df.withColumns(
        {
            "b2b": F.when(ok, raw == "true"),
            VIOLATIONS_COL: violation(
                ~ok | raw.isNull(), "b2b_type", "b2b", F.col("b2b"), "expected True or False"
            ),
        }
    )


def parse_postal_code(df: DataFrame) -> DataFrame:
    """ship_postal_code `400081.0` -> `400081`. A placeholder (989898) or anything that is not six
    digits becomes null with a flag; the raw text stays in ship_postal_code_raw."""
    raw = F.trim(F.col("ship_postal_code"))
    digits = F.regexp_extract(raw, _PIN, 1)
    valid = raw.rlike(_PIN)
    placeholder = valid & (digits == PLACEHOLDER_PIN)
    return df.withColumns(
        {
            "ship_postal_code_raw": F.col("ship_postal_code"),
            "ship_postal_code": F.when(valid & ~placeholder, digits),
            FLAGS_COL: flags(
                (placeholder, "postal_code_placeholder"), (raw.isNotNull() & ~valid, "postal_code_invalid")
            ),
        }
    )


def parse_source_index(df: DataFrame) -> DataFrame:
    """The CSV `index` column -> bigint `source_index` (audit only; a bad value is flagged, not fatal)."""
    raw = F.trim(F.col("index"))
    ok = raw.rlike(r"^[0-9]{1,18}$")
    return df.withColumns(
        {
            "source_index": F.when(ok, raw.cast("bigint")),
            FLAGS_COL: flag(raw.isNotNull() & ~ok, "index_invalid"),
        }
    ).drop("index")


def parse_types(df: DataFrame) -> DataFrame:
    """Rule 2 as a whole, in a fixed order."""
    for step in (parse_source_index, parse_quantity, parse_amount, parse_b2b, parse_postal_code):
        df = step(df)
    return df


def require_line_key(df: DataFrame) -> DataFrame:
    """The silver grain is (dataset, order_id, sku): a line without either cannot be a silver row
    and is quarantined (`missing_value`)."""
    for column in ("order_id", "sku"):
        blank = F.col(column).isNull() | (F.trim(F.col(column)) == "")
        df = df.withColumn(
            VIOLATIONS_COL, violation(blank, "missing_value", column, F.col(column), f"{column} is empty")
        )
    return df
