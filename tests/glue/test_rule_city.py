"""Rule 7: city normalisation."""

import pytest
from helpers import frame, line
from order_lines.rules.city import normalise_city


def city_of(spark, ref, raw):
    row = normalise_city(frame(spark, line(ship_city=raw)), ref).first()
    return row["ship_city"], row["dq_flags"]


CASES = [
    ("MUMBAI", "MUMBAI", []),
    ("Amravati.", "AMRAVATI", []),
    ("  mumbai  ", "MUMBAI", []),
    ("PUNE-412207", "PUNE", ["city_pin_stripped"]),
    ("KOLKATA 700034", "KOLKATA", ["city_pin_stripped"]),
    ("NEW DELHI-110075", "NEW DELHI", ["city_pin_stripped"]),
    ("THANE (W)", "THANE", []),
    ("NUVEM.   ( Do not Ring the door bell, call b4 comg", "NUVEM", []),
    ("BANGALORE", "BENGALURU", ["city_alias"]),
    ("Gurgaon", "GURUGRAM", ["city_alias"]),
    ("BANGALORE, KARNATAKA", "BENGALURU", ["city_fragment", "city_alias"]),
    ("KANDIVALI (E), MUMBAI", "MUMBAI", ["city_fragment"]),
    ("MUMBAI,Malad West,Malvani.", "MUMBAI", ["city_fragment"]),
    ("phanigiri road,Chaitanyapuri,Hyderabad", "HYDERABAD", ["city_fragment"]),
    ("Wagholi, Pune", "PUNE", ["city_fragment"]),
    ("Tehsil - Sikandrabad, District - Bulandshahr", "BULANDSHAHR", ["city_fragment"]),
    ("DELHI", "DELHI", []),
    ("GOA", "GOA", []),
]
JUNK = ["-", "NA", "123456", "..", "x"]


@pytest.fixture(scope="module")
def cleaned(spark, ref):
    """Every case through the rule in one DataFrame (one Spark job, not one per case)."""
    raws = [raw for raw, _, _ in CASES] + JUNK
    rows = normalise_city(frame(spark, *[line(ship_city=r) for r in raws]), ref).collect()
    return {r["ship_city_raw"]: (r["ship_city"], r["dq_flags"]) for r in rows}


@pytest.mark.parametrize(("raw", "city", "flags"), CASES)
def test_city_cleaning(cleaned, raw, city, flags):
    assert cleaned[raw] == (city, flags)


@pytest.mark.parametrize("raw", JUNK)
def test_junk_becomes_null_with_a_flag(cleaned, raw):
    assert cleaned[raw] == (None, ["city_junk"] if raw != "123456" else ["city_pin_stripped", "city_junk"])


def test_a_missing_city_stays_null_unflagged_and_the_raw_text_is_kept(spark, ref):
    assert city_of(spark, ref, None) == (None, [])
    row = normalise_city(frame(spark, line(ship_city="Amravati.")), ref).first()
    assert row["ship_city_raw"] == "Amravati."
