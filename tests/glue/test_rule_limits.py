"""Rule 10: the warehouse's limits and signs, enforced at the transform (not discovered by the load)."""

from helpers import frame, line
from order_lines.pipeline import clean, quarantine_rows


def test_over_long_values_and_a_negative_amount_are_quarantined_with_every_reason(spark, ref):
    lines = (
        line(),
        line(order_id="171-0000000-0000002", promotion_ids="A," + "p" * 60_000),
        line(order_id="171-0000000-0000003", sku="S" * 65),
        line(order_id="171-0000000-0000004", amount="-5.00", sku="K" * 70),
        line(order_id="171-0000000-0000005", promotion_ids=",".join(["q" * 256] * 3)),
    )
    cleaned = clean(frame(spark, *lines), ref)
    rows = cleaned.orderBy("kafka_offset").collect()
    assert [r["fate"] for r in rows] == ["silver", "quarantined", "quarantined", "quarantined", "silver"]
    q = quarantine_rows(cleaned).orderBy("kafka_offset").collect()
    assert [[(v["rule"], v["column"]) for v in r["violations"]] for r in q] == [
        [("too_long", "promotion_ids")],
        [("too_long", "sku")],
        [("too_long", "sku"), ("negative_amount", "amount")],
    ]
    # The quarantine keeps a short excerpt of an over-long value, not the value.
    assert len(q[0]["raw_value"]) == 64
    assert q[0]["detail"] == "longer than 256 characters (the warehouse column's limit)"
