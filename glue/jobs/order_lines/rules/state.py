"""Rule 6, state: upper, trim, collapse spaces, alias map, validate against the 36 states/UTs, and
use the PIN zone (first two digits of the cleaned postal code) to resolve what the text cannot:

- text names a state the zone allows (or there is no zone): keep it (`state_alias` if an alias
  such as `RJ`, `Rajshthan` or `New Delhi` was needed);
- text names a state the zone contradicts (Hyderabad 500032 labelled ANDHRA PRADESH) and the zone
  has one state: take the zone's (`state_pin_conflict`, `state_from_pin`); a zone shared by several
  states cannot decide, so the text stays with `state_pin_conflict`;
- text is empty, unknown or not a state (`APO`): the zone's state when it has one
  (`state_from_pin`), else null (`state_unresolved` when there was text).
"""

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..marks import FLAGS_COL, flags, map_literal
from ..reference import Reference


def state_key(raw: Column) -> Column:
    """The comparison form of a state text: upper, `&` as AND, dots dropped, spaces collapsed."""
    text = F.upper(F.trim(raw))
    text = F.regexp_replace(text, "&", " AND ")
    text = F.regexp_replace(text, r"\.", "")
    return F.trim(F.regexp_replace(text, r"\s+", " "))


def canonicalise_state(df: DataFrame, ref: Reference) -> DataFrame:
    """ship_state -> one of the 36 names or null; ship_state_raw keeps the text. Needs the cleaned
    ship_postal_code (rule 2)."""
    known = map_literal((s, s) for s in ref.states)
    aliases = map_literal(ref.state_aliases.items())
    zones = map_literal(ref.pin_zones.items(), array_values=True)
    key = state_key(F.col("ship_state"))
    df = df.withColumns(
        {
            "_st_key": key,
            "_st_zone": zones[F.substring(F.col("ship_postal_code"), 1, 2)],
        }
    )
    key = F.col("_st_key")
    df = df.withColumns({"_st_direct": known[key], "_st_alias": F.nullif(aliases[key], F.lit(""))})
    df = df.withColumn("_st_text", F.coalesce("_st_direct", "_st_alias"))
    text_state, zone_states = F.col("_st_text"), F.col("_st_zone")
    single = F.when(F.size(zone_states) == 1, F.get(zone_states, 0))
    agrees = zone_states.isNull() | F.array_contains(zone_states, text_state)
    resolved = (
        F.when(text_state.isNotNull() & agrees, text_state)
        .when(text_state.isNotNull() & single.isNotNull(), single)
        .when(text_state.isNotNull(), text_state)
        .otherwise(single)
    )
    has_text = key.isNotNull() & (key != "")
    return df.withColumns(
        {
            "ship_state_raw": F.col("ship_state"),
            "ship_state": resolved,
            FLAGS_COL: flags(
                (F.col("_st_direct").isNull() & F.col("_st_alias").isNotNull(), "state_alias"),
                (text_state.isNotNull() & ~agrees, "state_pin_conflict"),
                (single.isNotNull() & (text_state.isNull() | ~agrees), "state_from_pin"),
                (has_text & resolved.isNull(), "state_unresolved"),
            ),
        }
    ).drop("_st_key", "_st_zone", "_st_direct", "_st_alias", "_st_text")
