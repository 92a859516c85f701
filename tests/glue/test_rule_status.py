"""Rule 4: status buckets; unknown statuses are quarantined, never defaulted."""

from helpers import frame, line, rules_of
from order_lines.rules.status import BUCKETS, STATUS_BUCKETS, bucket_status


def test_all_thirteen_known_statuses_map_to_their_bucket(spark):
    assert len(STATUS_BUCKETS) == 13 and set(STATUS_BUCKETS.values()) == set(BUCKETS)
    rows = bucket_status(frame(spark, *[line(status=s) for s in STATUS_BUCKETS])).collect()
    assert {r["status"]: r["status_bucket"] for r in rows} == STATUS_BUCKETS
    assert all(r["_violations"] == [] for r in rows)


def test_the_documented_buckets(spark):
    rows = bucket_status(
        frame(
            spark,
            line(status="Shipping"),
            line(status="Shipped - Rejected by Buyer"),
            line(status="Pending - Waiting for Pick Up"),
            line(status="Shipped - Damaged"),
        )
    ).collect()
    assert [r["status_bucket"] for r in rows] == ["realised", "returned", "pending", "lost_damaged"]


def test_an_unknown_status_is_quarantined_with_its_value(spark):
    rows = bucket_status(frame(spark, line(status="Shipped - Teleported"), line(status=None))).collect()
    assert [r["status_bucket"] for r in rows] == [None, None]
    assert [rules_of(r) for r in rows] == [["status_bucket"], ["status_bucket"]]
    assert rows[0]["_violations"][0]["raw_value"] == "Shipped - Teleported"


def test_statuses_are_matched_exactly_after_trimming(spark):
    rows = bucket_status(frame(spark, line(status=" Cancelled "), line(status="cancelled"))).collect()
    assert rows[0]["status_bucket"] == "cancelled" and rows[0]["status"] == " Cancelled "
    assert rules_of(rows[1]) == ["status_bucket"]
