"""Rules 5 and 10: gross, realised and lost amounts; Non-Amazon lines carry no revenue."""

from decimal import Decimal

from helpers import frame, line
from order_lines.rules.revenue import derive_revenue, flag_non_amazon
from order_lines.rules.status import bucket_status
from order_lines.rules.types import parse_amount


def revenue(spark, *lines):
    return derive_revenue(flag_non_amazon(bucket_status(parse_amount(frame(spark, *lines))))).collect()


def amounts(row):
    return (row["gross_amount"], row["realised_amount"], row["lost_amount"])


def test_realised_lines_count_their_amount_as_realised(spark):
    (row,) = revenue(spark, line(status="Shipped", amount="406.00"))
    assert amounts(row) == (Decimal("406.00"), Decimal("406.00"), Decimal("0.00"))
    assert row["is_cancelled"] is False and row["is_non_amazon"] is False


def test_fractional_cancelled_amounts_are_lost_never_realised(spark):
    (row,) = revenue(spark, line(status="Cancelled", amount="647.62"))
    assert amounts(row) == (Decimal("647.62"), Decimal("0.00"), Decimal("647.62"))
    assert row["is_cancelled"] is True


def test_returned_pending_and_lost_lines_are_neither_realised_nor_lost(spark):
    rows = revenue(
        spark,
        line(status="Shipped - Returned to Seller", amount="100"),
        line(status="Pending", amount="200"),
        line(status="Shipped - Lost in Transit", amount="300"),
    )
    assert [amounts(r) for r in rows] == [
        (Decimal("100.00"), Decimal("0.00"), Decimal("0.00")),
        (Decimal("200.00"), Decimal("0.00"), Decimal("0.00")),
        (Decimal("300.00"), Decimal("0.00"), Decimal("0.00")),
    ]


def test_a_null_amount_counts_as_zero_and_is_flagged(spark):
    (row,) = revenue(spark, line(status="Shipped", amount=None, currency=None))
    assert amounts(row) == (Decimal("0.00"),) * 3
    assert row["amount"] is None
    assert row["dq_flags"] == ["amount_missing"]


def test_non_amazon_lines_with_null_amounts_carry_no_revenue(spark):
    (row,) = revenue(spark, line(sales_channel="Non-Amazon", status="Shipped", amount=None, currency=None))
    assert row["is_non_amazon"] is True
    assert amounts(row) == (Decimal("0.00"),) * 3
    assert row["dq_flags"] == []  # a missing amount is normal there


def test_a_non_amazon_line_that_has_an_amount_still_carries_no_revenue_and_is_flagged(spark):
    (row,) = revenue(spark, line(sales_channel="Non-Amazon ", status="Shipped", amount="500"))
    assert row["sales_channel"] == "Non-Amazon"
    assert row["amount"] == Decimal("500.00")
    assert amounts(row) == (Decimal("0.00"),) * 3
    assert row["dq_flags"] == ["non_amazon_amount_ignored"]
