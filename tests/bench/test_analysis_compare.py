"""Negative control of bench/analysis: the two builds' marts must agree, and the comparison must
say so when they do not (a bench that cannot report a difference proves nothing)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "analysis"))

from compare import differences  # noqa: E402

SAME = {"mart_sales_daily": (91, "a1b2c3d4e5f6aa"), "mart_trend": (40, "ffeeddccbbaa00")}


def test_identical_builds_show_no_difference():
    assert differences(SAME, dict(SAME)) == []


def test_a_changed_checksum_a_changed_count_and_a_missing_mart_are_each_reported():
    peer = {"mart_sales_daily": (91, "0000000000000x"), "extra_mart": (1, "x")}
    ours = {**SAME, "mart_trend": (39, "ffeeddccbbaa00")}
    assert differences(ours, peer) == [
        "extra_mart: only in the peer build",
        "mart_sales_daily: 91 rows a1b2c3d4e5f6 vs 91 rows 000000000000",
        "mart_trend: only in the partitioned build",
    ]
    assert differences(ours, SAME) == ["mart_trend: 39 rows ffeeddccbbaa vs 40 rows ffeeddccbbaa"]
