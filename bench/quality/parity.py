"""Per-expectation parity of our engine and Great Expectations on the same partition: verdicts,
observed values (element, unexpected and missing counts, observed_value) and raised errors.

compare() is pure (canned result dicts in, differences out), so the test suite can show that it
reports a difference when fed one (tests/bench/test_quality_parity.py). A difference is `known`
when it matches one of KNOWN's documented deviations (docs/quality.md), else `unexpected`; the
bench fails on any unexpected difference.
"""

from __future__ import annotations

import math

# Documented deviations: (name, expectation types, texts of GX's error, why). A difference counts as
# known only when the types match, GX raised with that text, and our engine did not raise.
KNOWN = [
    (
        "mean_of_decimal_with_nulls",
        {"expect_column_mean_to_be_between"},
        ("float() argument must be",),
        "GX 1.24 converts a Decimal column to floats before the mean and raises on its nulls, so the "
        "expectation fails with an exception; our engine returns the mean of the non-null values, as "
        "GX does for float columns (docs/quality.md).",
    ),
    (
        "numeric_text_compared_as_numbers",
        {
            "expect_column_values_to_be_between",
            "expect_column_min_to_be_between",
            "expect_column_max_to_be_between",
        },
        ("must either be None or of the same type", "not supported between instances of 'str'"),
        "Numbers stored as text (qty written as strings): GX refuses to compare text with numeric "
        "bounds and fails; our engine compares numeric text as numbers. The silver contract types "
        "qty as int32 and expect_column_values_to_be_of_type fails such a file in both (docs/quality.md).",
    ),
]
OBSERVED_KEYS = ("element_count", "unexpected_count", "missing_count", "observed_value")


def _number(v):
    """GX hands Decimal and numpy values back as text: compare '2224.00' and 2224 as numbers."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def same_value(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and sorted(map(str, a)) == sorted(map(str, b))
    a, b = _number(a), _number(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def differences(engine: dict, gx: dict) -> list[str]:
    """What differs between two results of one expectation ({success, observed, error})."""
    out = []
    if bool(engine.get("success")) != bool(gx.get("success")):
        out.append(f"success: engine {engine.get('success')} vs GX {gx.get('success')}")
    eo, go = engine.get("observed") or {}, gx.get("observed") or {}
    for key in OBSERVED_KEYS:
        if key in eo and key in go and not same_value(eo[key], go[key]):
            out.append(f"{key}: engine {eo[key]!r} vs GX {go[key]!r}")
    if bool(engine.get("error")) != bool(gx.get("error")):
        out.append(f"raised: engine {engine.get('error')!r} vs GX {gx.get('error')!r}")
    return out


def known_deviation(expectation: dict, engine: dict, gx: dict) -> str | None:
    """The KNOWN deviation this difference is, or None."""
    error = str(gx.get("error") or "")
    if not error or engine.get("error"):
        return None
    for name, types, texts, _ in KNOWN:
        if expectation["type"] in types and any(t in error for t in texts):
            return name
    return None


def compare(expectations: list[dict], engine_run: dict, gx_run: dict) -> dict:
    """Compares two runs of one suite on one partition, expectation by expectation."""
    if engine_run.get("error") or gx_run.get("error"):
        return {
            "checked": 0,
            "agree": 0,
            "known": [],
            "unexpected": [
                {
                    "index": None,
                    "type": None,
                    "why": [f"run failed: engine {engine_run.get('error')!r}, GX {gx_run.get('error')!r}"],
                }
            ],
        }
    er, gr = engine_run.get("results") or [], gx_run.get("results") or []
    report: dict = {"checked": len(expectations), "agree": 0, "known": [], "unexpected": []}
    if not (len(er) == len(gr) == len(expectations)):
        why = f"result counts differ: suite {len(expectations)}, engine {len(er)}, GX {len(gr)}"
        report["unexpected"].append({"index": None, "type": None, "why": [why]})
        return report
    if engine_run.get("rows") != gx_run.get("rows"):
        why = f"rows: engine {engine_run.get('rows')} vs GX {gx_run.get('rows')}"
        report["unexpected"].append({"index": None, "type": None, "why": [why]})
    for i, (exp, e, g) in enumerate(zip(expectations, er, gr, strict=True)):
        why = differences(e, g)
        if not why:
            report["agree"] += 1
            continue
        entry = {"index": i, "type": exp["type"], "column": exp["kwargs"].get("column"), "why": why}
        name = known_deviation(exp, e, g)
        report["known" if name else "unexpected"].append(entry | ({"deviation": name} if name else {}))
    return report


def suite_success(expectations: list[dict], results: list[dict]) -> dict:
    """Our gate's verdict next to GX's suite-level `success`: GX ignores `severity` (any failed
    expectation fails the suite); our gate fails only on a failed `critical` one."""
    failed = [i for i, r in enumerate(results) if not r.get("success")]
    critical = [i for i in failed if expectations[i].get("severity", "critical") == "critical"]
    return {
        "gx_style_success": not failed,
        "gate_passes": not critical,
        "failed": failed,
        "failed_critical": critical,
    }
