"""Rule 7, city: trim, strip parenthesised notes, embedded PINs, digits and punctuation, upper case,
alias map; junk becomes null with a flag. The raw text stays in ship_city_raw.

Free text often holds an address: `KANDIVALI (E), MUMBAI`, `phanigiri road,Chaitanyapuri,Hyderabad`,
`BANGALORE, KARNATAKA`. Such a value is split on commas; a fragment that is a state name is
dropped when other fragments remain; the first fragment that is a known city (reference/cities.csv)
wins, else the last fragment (localities come first, the town last).
Flags: `city_pin_stripped`, `city_fragment`, `city_alias`, `city_junk`.
"""

from itertools import chain

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..marks import FLAGS_COL, flags, map_literal
from ..reference import Reference
from .state import state_key

JUNK = ("NA", "N A", "NULL", "NONE", "NIL", "TEST", "XXX", "XX", "ABC", "CITY")
# Administrative words that carry no place name of their own.
_ADMIN_WORDS = r"\b(DISTRICT|DIST|DT|TEHSIL|TALUKA|TALUK|TQ|POST OFFICE|PO|P O|VIA|NEAR)\b"


def clean_fragment(text: Column) -> Column:
    """Upper-case letters and single spaces only, administrative words removed."""
    letters = F.regexp_replace(F.upper(text), r"[^A-Z ]", " ")
    without_admin = F.regexp_replace(letters, _ADMIN_WORDS, " ")
    return F.trim(F.regexp_replace(without_admin, r"\s+", " "))


def normalise_city(df: DataFrame, ref: Reference) -> DataFrame:
    """ship_city -> cleaned, aliased city or null; ship_city_raw keeps the text."""
    cities = map_literal(ref.cities.items())
    known_cities = map_literal((c, c) for c in sorted(ref.known_cities))
    state_names = map_literal(
        chain(((s, s) for s in ref.states), ((a, a) for a in ref.state_aliases if len(a) > 2))
    )
    raw = F.col("ship_city")
    # Intermediate columns keep each regex evaluated once per row (Spark does not collapse a
    # projection into the next when that would repeat an expensive expression).
    notes_removed = F.regexp_replace(F.upper(raw), r"\([^)]*\)?", " ")
    df = df.withColumns(
        {
            "_city_pin": notes_removed.rlike(r"(^|[^0-9])[0-9]{6}([^0-9]|$)"),
            "_city_parts": F.filter(
                F.transform(F.split(notes_removed, ","), clean_fragment), lambda x: x != ""
            ),
        }
    )
    df = df.withColumn(
        "_city_named",
        F.transform(
            "_city_parts", lambda x: F.struct(x.alias("text"), F.coalesce(cities[x], x).alias("city"))
        ),
    )
    # A state name beside other fragments is address noise; alone (or a city too: DELHI) it stays.
    placeish = F.filter(
        "_city_named",
        lambda e: known_cities[e["city"]].isNotNull() | state_names[state_key(e["text"])].isNull(),
    )
    df = df.withColumn("_city_named", F.when(F.size(placeish) > 0, placeish).otherwise(F.col("_city_named")))
    named = F.col("_city_named")
    known = F.filter(named, lambda e: known_cities[e["city"]].isNotNull())
    df = df.withColumn(
        "_city_choice",
        F.coalesce(F.get(known, 0), F.get(named, F.size(named) - 1)),
    )
    city = F.col("_city_choice.city")
    letters = F.length(F.regexp_replace(F.coalesce(city, F.lit("")), "[^A-Z]", ""))
    junk = raw.isNotNull() & (city.isNull() | (letters < 3) | city.isin(*JUNK))
    return df.withColumns(
        {
            "ship_city_raw": raw,
            "ship_city": F.when(~junk, city),
            FLAGS_COL: flags(
                (F.col("_city_pin"), "city_pin_stripped"),
                (F.size("_city_parts") > 1, "city_fragment"),
                (~junk & (F.col("_city_choice.text") != city), "city_alias"),
                (junk, "city_junk"),
            ),
        }
    ).drop("_city_pin", "_city_parts", "_city_named", "_city_choice")
