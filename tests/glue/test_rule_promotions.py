"""Rule 8: promotion ids as an array."""

from helpers import frame, line
from order_lines.rules.promotions import split_promotions

MERCHANT = "Amazon PLCC Free-Financing Universal Merchant AAT-"


def test_a_33_item_list_becomes_33_ids(spark):
    ids = [f"{MERCHANT}{i:013d}" for i in range(32)] + [
        "Amazon PLCC Free-Financing Universal Merchant #MP-gzasho-1"
    ]
    row = split_promotions(frame(spark, line(promotion_ids=",".join(ids)))).first()
    assert row["promotion_ids"] == ids
    assert row["promo_count"] == 33 and row["has_promotion"] is True
    assert row["dq_flags"] == []


def test_no_promotion_is_an_empty_array(spark):
    rows = split_promotions(frame(spark, line(promotion_ids=None), line(promotion_ids=" , "))).collect()
    assert [(r["promotion_ids"], r["promo_count"], r["has_promotion"]) for r in rows] == [([], 0, False)] * 2


def test_ids_are_trimmed_and_repeats_counted_once(spark):
    core = "IN Core Free Shipping 2015/04/08 23-48-5-108"
    row = split_promotions(frame(spark, line(promotion_ids=f"{core}, A,{core}"))).first()
    assert row["promotion_ids"] == [core, "A"]
    assert row["promo_count"] == 2
    assert row["dq_flags"] == ["promotion_repeated_ids"]
