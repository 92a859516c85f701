"""Rule 6: state canonicalisation, with the PIN zone resolving what the text cannot."""

import pytest
from helpers import frame, line
from order_lines.rules.state import canonicalise_state
from order_lines.rules.types import parse_postal_code


def state_of(spark, ref, raw, pin):
    row = canonicalise_state(
        parse_postal_code(frame(spark, line(ship_state=raw, ship_postal_code=pin))), ref
    ).first()
    return row["ship_state"], row["dq_flags"], row["ship_state_raw"]


SPELLINGS = [
    ("KARNATAKA", "560085.0", "KARNATAKA", []),
    ("Gujarat", "380015.0", "GUJARAT", []),  # case only: not an alias
    ("ANDAMAN & NICOBAR ", "744101.0", "ANDAMAN AND NICOBAR ISLANDS", ["state_alias"]),
    ("Rajshthan", "302017.0", "RAJASTHAN", ["state_alias"]),
    ("rajsthan", "302017.0", "RAJASTHAN", ["state_alias"]),
    ("RJ", "302017.0", "RAJASTHAN", ["state_alias"]),
    ("PB", "141001.0", "PUNJAB", ["state_alias"]),
    ("NL", "797112.0", "NAGALAND", ["state_alias"]),
    ("AR", "791111.0", "ARUNACHAL PRADESH", ["state_alias"]),
    ("New Delhi", "110075.0", "DELHI", ["state_alias"]),
    ("DADRA AND NAGAR", "396230.0", "DADRA AND NAGAR HAVELI AND DAMAN AND DIU", ["state_alias"]),
    ("orissa", "751001.0", "ODISHA", ["state_alias"]),
    ("Pondicherry", "605001.0", "PUDUCHERRY", ["state_alias"]),
]


@pytest.fixture(scope="module")
def spelled(spark, ref):
    """All SPELLINGS through the rule in one DataFrame (one Spark job, not one per case)."""
    df = frame(spark, *[line(ship_state=raw, ship_postal_code=pin) for raw, pin, _, _ in SPELLINGS])
    rows = canonicalise_state(parse_postal_code(df), ref).orderBy("kafka_offset").collect()
    return {(r["ship_state_raw"], r["ship_postal_code_raw"]): (r["ship_state"], r["dq_flags"]) for r in rows}


@pytest.mark.parametrize(("raw", "pin", "state", "flags"), SPELLINGS)
def test_spellings_abbreviations_and_old_names_resolve(spelled, raw, pin, state, flags):
    assert spelled[(raw, pin)] == (state, flags)


def test_a_state_contradicted_by_a_single_state_zone_takes_the_zones_state(spark, ref):
    # Hyderabad 500032 labelled ANDHRA PRADESH: zone 50 is Telangana only.
    state, flags, raw = state_of(spark, ref, "ANDHRA PRADESH", "500032.0")
    assert (state, flags, raw) == ("TELANGANA", ["state_pin_conflict", "state_from_pin"], "ANDHRA PRADESH")


def test_a_contradiction_in_a_shared_zone_keeps_the_text_and_says_so(spark, ref):
    # Zone 40 is Maharashtra and Goa: it cannot say which, so KARNATAKA stays, flagged.
    assert state_of(spark, ref, "KARNATAKA", "400081.0")[:2] == ("KARNATAKA", ["state_pin_conflict"])


def test_a_state_the_shared_zone_allows_is_kept(spark, ref):
    assert state_of(spark, ref, "GOA", "403001.0")[:2] == ("GOA", [])


def test_unknown_or_empty_text_is_resolved_from_a_single_state_zone(spark, ref):
    assert state_of(spark, ref, "Hyderbad", "500032.0")[:2] == ("TELANGANA", ["state_from_pin"])
    assert state_of(spark, ref, None, "500032.0")[:2] == ("TELANGANA", ["state_from_pin"])
    assert state_of(spark, ref, "APO", "400081.0")[:2] == (None, ["state_unresolved"])


def test_unknown_text_without_a_usable_pin_is_null_and_flagged(spark, ref):
    assert state_of(spark, ref, "APO", "989898.0")[:2] == (
        None,
        ["postal_code_placeholder", "state_unresolved"],
    )
    assert state_of(spark, ref, "Atlantis", None)[:2] == (None, ["state_unresolved"])


def test_missing_address_stays_null_without_a_flag(spark, ref):
    assert state_of(spark, ref, None, None)[:2] == (None, [])


def test_every_resolved_state_is_one_of_the_36(spark, ref):
    raws = ["KARNATAKA", "RJ", "New Delhi", "Rajshthan", "APO", "xx", None, "TELANGANA"]
    pins = ["560085.0", "302017.0", "110075.0", None, "500032.0", "797112.0", "751001.0", "600001.0"]
    df = frame(spark, *[line(ship_state=s, ship_postal_code=p) for s, p in zip(raws, pins, strict=True)])
    states = {r["ship_state"] for r in canonicalise_state(parse_postal_code(df), ref).collect()}
    assert states - {None} <= set(ref.states)
