"""Negative controls for the quality bench's parity check (bench/quality/parity.py): fed results
that differ, it must say so, expectation by expectation; documented deviations stay apart."""

import copy

from parity import compare, suite_success

SUITE = [
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "status", "value_set": ["Shipped"]}},
    {
        "type": "expect_column_values_to_not_be_null",
        "kwargs": {"column": "amount", "mostly": 0.92},
        "severity": "warning",
    },
    {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "amount", "min_value": 550}},
    {"type": "expect_column_min_to_be_between", "kwargs": {"column": "qty", "min_value": 0}},
]


def result(success=True, error=None, **observed):
    return {"success": success, "observed": observed, "error": error}


def run(*results, rows=100):
    return {"rows": rows, "results": list(results)}


ENGINE = run(
    result(element_count=100, unexpected_count=0, missing_count=0),
    result(element_count=100, unexpected_count=3),
    result(observed_value=627.21),
    result(observed_value=0),
)


def test_identical_runs_agree_on_every_expectation():
    report = compare(SUITE, ENGINE, copy.deepcopy(ENGINE))
    assert report == {"checked": 4, "agree": 4, "known": [], "unexpected": []}


def test_gx_hands_numbers_back_as_text_and_they_still_agree():
    gx = copy.deepcopy(ENGINE)
    gx["results"][2]["observed"]["observed_value"] = "627.21"
    gx["results"][3]["observed"]["observed_value"] = "0"
    assert compare(SUITE, ENGINE, gx)["agree"] == 4


def test_a_different_verdict_is_reported_with_its_index():
    gx = copy.deepcopy(ENGINE)
    gx["results"][0]["success"] = False
    report = compare(SUITE, ENGINE, gx)
    assert report["agree"] == 3
    assert [u["index"] for u in report["unexpected"]] == [0]
    assert "success: engine True vs GX False" in report["unexpected"][0]["why"]


def test_the_same_verdict_with_different_counts_is_reported():
    gx = copy.deepcopy(ENGINE)
    gx["results"][1]["observed"]["unexpected_count"] = 4
    report = compare(SUITE, ENGINE, gx)
    assert [u["index"] for u in report["unexpected"]] == [1]
    assert report["unexpected"][0]["why"] == ["unexpected_count: engine 3 vs GX 4"]


def test_a_different_observed_value_is_reported():
    gx = copy.deepcopy(ENGINE)
    gx["results"][2]["observed"]["observed_value"] = 627.5
    assert [u["index"] for u in compare(SUITE, ENGINE, gx)["unexpected"]] == [2]


def test_one_side_raising_is_reported():
    gx = copy.deepcopy(ENGINE)
    gx["results"][0] = result(success=True, error="boom")
    assert [u["index"] for u in compare(SUITE, ENGINE, gx)["unexpected"]] == [0]


def test_the_old_bug_every_verdict_repeating_one_expectation_is_caught():
    # What the harness did when every GX id was None: one result stood in for all of them.
    engine = copy.deepcopy(ENGINE)
    engine["results"][0]["success"] = False
    gx = run(*[copy.deepcopy(ENGINE["results"][3]) for _ in SUITE])
    report = compare(SUITE, engine, gx)
    assert report["agree"] < 4 and report["unexpected"]


def test_missing_results_or_rows_are_reported():
    short = run(*ENGINE["results"][:3])
    assert "result counts differ" in compare(SUITE, ENGINE, short)["unexpected"][0]["why"][0]
    more_rows = copy.deepcopy(ENGINE) | {"rows": 101}
    assert "rows: engine 100 vs GX 101" in compare(SUITE, ENGINE, more_rows)["unexpected"][0]["why"]
    failed = compare(SUITE, ENGINE, {"error": "no GX result"})
    assert failed["agree"] == 0 and "run failed" in failed["unexpected"][0]["why"][0]


def test_documented_deviations_are_known_and_only_with_their_gx_error():
    gx = copy.deepcopy(ENGINE)
    gx["results"][2] = result(False, "float() argument must be a string or a real number, not 'NoneType'")
    gx["results"][3] = result(False, "'>=' not supported between instances of 'str' and 'float'")
    report = compare(SUITE, ENGINE, gx)
    assert [(k["index"], k["deviation"]) for k in report["known"]] == [
        (2, "mean_of_decimal_with_nulls"),
        (3, "numeric_text_compared_as_numbers"),
    ]
    assert report["unexpected"] == []
    # The same failures without GX's error are no documented deviation.
    gx["results"][2] = result(False)
    assert [u["index"] for u in compare(SUITE, ENGINE, gx)["unexpected"]] == [2]


def test_gate_verdict_counts_critical_failures_gx_suite_counts_all():
    warning_failed = [result(), result(False), result(), result()]
    assert suite_success(SUITE, warning_failed) == {
        "gx_style_success": False,
        "gate_passes": True,
        "failed": [1],
        "failed_critical": [],
    }
    critical_failed = [result(False), result(), result(), result()]
    assert suite_success(SUITE, critical_failed)["gate_passes"] is False
