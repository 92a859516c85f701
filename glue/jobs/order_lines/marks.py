"""How rules record what they did: `_violations` (the row goes to quarantine) and `dq_flags` (the row
stays, but the cleaning changed or doubted something). Both are arrays built up rule by rule.

Each helper references the array column once, so Spark can collapse the projections of all rules
into one without duplicating expressions.

Array elements are read with `get` (null when out of range), never `arr[i]`: Spark may evaluate a
subexpression ahead of the CASE WHEN that guards it, and in ANSI mode `arr[i]` then fails.
"""

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .columns import DQ_FLAGS, FLAGS, QUARANTINE_RULES, VIOLATION, VIOLATIONS

VIOLATIONS_COL = "_violations"
FLAGS_COL = "dq_flags"


def with_marks(df: DataFrame) -> DataFrame:
    """Adds the two empty arrays every rule appends to."""
    return df.withColumns(
        {
            VIOLATIONS_COL: F.array().cast(VIOLATIONS),
            FLAGS_COL: F.array().cast(FLAGS),
        }
    )


def _when(condition: Column) -> Column:
    # A null condition (a null input) must not add a mark by accident.
    return F.coalesce(condition, F.lit(False))


def violation(condition: Column, rule: str, column: str, raw: Column, detail: Column | str) -> Column:
    """The `_violations` array with one more entry when `condition` holds."""
    assert rule in QUARANTINE_RULES, f"unknown quarantine rule {rule}: add it to columns.QUARANTINE_RULES"
    detail_col = F.lit(detail) if isinstance(detail, str) else detail
    entry = F.struct(
        F.lit(rule).alias("rule"),
        F.lit(column).alias("column"),
        raw.cast("string").alias("raw_value"),
        detail_col.cast("string").alias("detail"),
    ).cast(VIOLATION)
    return F.concat(
        F.col(VIOLATIONS_COL),
        F.when(_when(condition), F.array(entry)).otherwise(F.array().cast(VIOLATIONS)),
    )


def flags(*pairs: tuple[Column, str]) -> Column:
    """The `dq_flags` array with each name appended whose condition holds, in the order given."""
    for _, name in pairs:
        assert name in DQ_FLAGS, f"unknown flag {name}: add it to columns.DQ_FLAGS"
    parts = [F.when(_when(c), F.array(F.lit(n))).otherwise(F.array().cast(FLAGS)) for c, n in pairs]
    return F.concat(F.col(FLAGS_COL), *parts)


def flag(condition: Column, name: str) -> Column:
    """The `dq_flags` array with `name` appended when `condition` holds."""
    return flags((condition, name))


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def map_literal(pairs, array_values: bool = False) -> Column:
    """A map<string,string> (or map<string,array<string>>) literal as one SQL expression: building it
    from F.lit calls would cost one JVM round trip per entry."""
    parts = []
    for key, value in pairs:
        rendered = (
            f"array({', '.join(_sql_string(v) for v in value)})" if array_values else _sql_string(value)
        )
        parts.append(f"{_sql_string(key)}, {rendered}")
    if not parts:
        return F.expr("map()").cast("map<string,array<string>>" if array_values else "map<string,string>")
    return F.expr(f"map({', '.join(parts)})")
