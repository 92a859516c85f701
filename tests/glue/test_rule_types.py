"""Rule 2: typed parsing from text."""

from decimal import Decimal

from helpers import frame, line, rules_of
from order_lines.rules.types import (
    parse_amount,
    parse_b2b,
    parse_postal_code,
    parse_quantity,
    parse_source_index,
    require_line_key,
)


def test_amount_is_the_line_total_as_written_never_qty_times_price(spark):
    rows = parse_amount(parse_quantity(frame(spark, line(qty="2", amount="1398.00")))).first()
    assert rows["qty"] == 2
    assert rows["amount"] == Decimal("1398.00")


def test_fractional_cancelled_amounts_keep_their_cents(spark):
    row = parse_amount(frame(spark, line(status="Cancelled", amount="647.62"))).first()
    assert row["amount"] == Decimal("647.62")
    assert row["_violations"] == []


def test_an_amount_that_would_need_rounding_or_is_not_a_number_is_quarantined(spark):
    rows = parse_amount(
        frame(spark, line(amount="647.625"), line(amount="12,5"), line(amount="1e3"))
    ).collect()
    assert [r["amount"] for r in rows] == [None, None, None]
    assert [rules_of(r) for r in rows] == [["amount_type"]] * 3
    assert rows[0]["_violations"][0]["raw_value"] == "647.625"


def test_a_null_amount_stays_null_without_a_violation(spark):
    row = parse_amount(frame(spark, line(amount=None))).first()
    assert row["amount"] is None and row["_violations"] == []


def test_qty_must_be_a_whole_number(spark):
    rows = parse_quantity(frame(spark, line(qty="15"), line(qty="1.5"), line(qty=None))).collect()
    assert rows[0]["qty"] == 15 and rows[0]["_violations"] == []
    assert rules_of(rows[1]) == ["qty_type"] and rows[1]["qty"] is None
    assert rows[2]["qty"] is None and rows[2]["dq_flags"] == ["qty_missing"]


def test_b2b_becomes_a_boolean_and_anything_else_is_quarantined(spark):
    rows = parse_b2b(
        frame(spark, line(b2b="True"), line(b2b="false"), line(b2b="yes"), line(b2b=None))
    ).collect()
    assert [r["b2b"] for r in rows] == [True, False, None, None]
    assert [rules_of(r) for r in rows] == [[], [], ["b2b_type"], ["b2b_type"]]


def test_float_postal_codes_become_six_character_strings(spark):
    rows = parse_postal_code(
        frame(
            spark,
            line(ship_postal_code="400081.0"),
            line(ship_postal_code="560085"),
            line(ship_postal_code="989898.0"),
            line(ship_postal_code="40008.0"),
            line(ship_postal_code="4000811.0"),
            line(ship_postal_code=None),
        )
    ).collect()
    assert [r["ship_postal_code"] for r in rows] == ["400081", "560085", None, None, None, None]
    assert [r["dq_flags"] for r in rows] == [
        [],
        [],
        ["postal_code_placeholder"],
        ["postal_code_invalid"],
        ["postal_code_invalid"],
        [],
    ]
    assert rows[0]["ship_postal_code_raw"] == "400081.0"


def test_the_csv_index_becomes_a_bigint_and_a_bad_one_is_only_flagged(spark):
    rows = parse_source_index(frame(spark, line(index="5732"), line(index="x"))).collect()
    assert [r["source_index"] for r in rows] == [5732, None]
    assert [r["dq_flags"] for r in rows] == [[], ["index_invalid"]]
    assert "index" not in rows[0].asDict()


def test_a_line_without_order_id_or_sku_cannot_be_silver(spark):
    rows = require_line_key(frame(spark, line(sku=None), line(order_id=" "), line())).collect()
    assert [rules_of(r) for r in rows] == [["missing_value"], ["missing_value"], []]
    assert rows[0]["_violations"][0]["column"] == "sku"
