"""Redeliveries and rule 9, duplicated (order_id, sku)."""

from decimal import Decimal

from helpers import URI, frame, line
from order_lines.pipeline import clean, quarantine_rows


def fates(spark, ref, *lines):
    cleaned = clean(frame(spark, *lines), ref)
    return cleaned.orderBy("kafka_offset").collect(), quarantine_rows(cleaned).orderBy(
        "kafka_offset"
    ).collect()


def test_a_redelivered_source_row_is_dropped_and_only_counted(spark, ref):
    again = line(source_row=2)  # the same source row as the first line, landed again
    rows, quarantine = fates(spark, ref, line(), again)
    assert [r["fate"] for r in rows] == ["silver", "redelivered"]
    assert quarantine == []


def test_a_duplicated_key_keeps_the_non_cancelled_line_with_an_amount(spark, ref):
    rows, quarantine = fates(
        spark,
        ref,
        line(status="Cancelled", amount="406.00"),
        line(status="Shipped", amount=None),
        line(status="Shipped", amount="406.00"),
    )
    assert [r["fate"] for r in rows] == ["duplicate", "duplicate", "silver"]
    assert rows[2]["amount"] == Decimal("406.00")
    assert [(q["kind"], q["rule"], q["column"], q["raw_value"]) for q in quarantine] == [
        ("duplicate", "duplicate_key", "order_id,sku", "171-9198151-1101146|JNE3781-KR-XXXL")
    ] * 2
    assert quarantine[0]["detail"] == "kept source row 4 (kafka partition 0 offset 2)"
    assert quarantine[0]["source_uri"] == URI and quarantine[0]["source_row"] == 2


def test_among_equal_lines_the_earliest_source_row_is_kept(spark, ref):
    rows, _ = fates(spark, ref, line(), line())
    assert [r["fate"] for r in rows] == ["silver", "duplicate"]


def test_a_quarantined_line_does_not_compete_for_its_key(spark, ref):
    rows, quarantine = fates(spark, ref, line(status="Teleported"), line())
    assert [r["fate"] for r in rows] == ["quarantined", "silver"]
    assert [(q["kind"], q["rule"], q["raw_value"]) for q in quarantine] == [
        ("rejected", "status_bucket", "Teleported")
    ]


def test_the_same_order_with_two_skus_is_two_lines(spark, ref):
    rows, _ = fates(spark, ref, line(), line(sku="JNE3781-KR-XL"))
    assert [r["fate"] for r in rows] == ["silver", "silver"]
