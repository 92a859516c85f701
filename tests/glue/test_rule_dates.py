"""Rule 3: explicit MM-DD-YY dates."""

import datetime as dt

from helpers import DT, frame, line, rules_of
from order_lines.rules.dates import parse_order_date


def test_mm_dd_yy_is_parsed_explicitly(spark):
    row = parse_order_date(frame(spark, line(date="04-30-22"))).first()
    assert row["order_date"] == DT
    assert row["_violations"] == []


def test_other_formats_are_quarantined_not_guessed(spark):
    rows = parse_order_date(
        frame(spark, line(date="2022-04-30"), line(date="4-30-22"), line(date="30-04-22"), line(date=None))
    ).collect()
    assert [r["order_date"] for r in rows] == [None, None, None, None]
    assert [rules_of(r) for r in rows] == [
        ["date_format"],
        ["date_format"],
        ["date_invalid"],
        ["date_format"],
    ]


def test_a_day_that_does_not_exist_is_quarantined(spark):
    row = parse_order_date(frame(spark, line(date="02-30-22", dt=dt.date(2022, 3, 2)))).first()
    assert row["order_date"] is None
    assert rules_of(row) == ["date_invalid"]


def test_a_date_outside_its_partition_is_quarantined_with_the_partition(spark):
    row = parse_order_date(frame(spark, line(date="04-29-22"))).first()
    assert rules_of(row) == ["date_partition"]
    assert row["_violations"][0]["detail"].endswith("2022-04-30")
    assert row["_violations"][0]["raw_value"] == "04-29-22"
