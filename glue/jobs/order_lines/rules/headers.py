"""Rule 1, headers: strip, snake_case, map the known names; unknown or missing columns are schema
drift and the job refuses the partition naming them (never a silent load)."""

import re
from collections.abc import Iterable

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..columns import LINE_FIELDS
from ..errors import SchemaDriftError


def snake_case(name: str) -> str:
    """`Sales Channel ` -> `sales_channel`, `ship-service-level` -> `ship_service_level`,
    `Unnamed: 22` -> `unnamed_22`, `Order ID` -> `order_id`."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def check_columns(found: Iterable[str], expected: Iterable[str], where: str) -> None:
    """Compares column names after normalisation; raises SchemaDriftError naming what differs.

    A name that normalises onto another one already present (e.g. `Qty` and `qty `) counts as
    unexpected, so nothing is silently merged.
    """
    expected = list(expected)
    seen: dict[str, str] = {}
    unexpected: list[str] = []
    for raw in found:
        key = snake_case(raw)
        if key in seen or key not in expected:
            unexpected.append(raw)
        else:
            seen[key] = raw
    missing = [c for c in expected if c not in seen]
    if missing or unexpected:
        raise SchemaDriftError(where, missing, unexpected)


def normalise_headers(
    df: DataFrame, expected: Iterable[str] = LINE_FIELDS, where: str = "input", keep: Iterable[str] = ()
) -> DataFrame:
    """Renames every source column to its snake_case name, in the expected order, and checks the
    set against `expected`; columns named in `keep` (the job's own) pass through untouched.

    Raises SchemaDriftError (missing and unexpected columns named) before any row is read.
    """
    expected, keep = list(expected), list(keep)
    source = [c for c in df.columns if c not in keep]
    check_columns(source, expected, where)
    by_key = {snake_case(c): c for c in source}
    return df.select(*[F.col(f"`{by_key[c]}`").alias(c) for c in expected], *keep)
