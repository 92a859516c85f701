"""The parity part of bench/results/quality.md: per partition, what failed on each side, the
differences (documented or not), and how our gate's verdict relates to GX's suite-level success."""

from __future__ import annotations

import json
from pathlib import Path

from parity import KNOWN, compare, suite_success


def read_lines(path: str) -> dict[str, dict]:
    runs = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return {Path(r["dir"]).name: r for r in runs}


def together(path: str | None) -> list[str]:
    """The multicolumn sum's verdict when GX validates it inside the suite, per PYTHONHASHSEED."""
    if not path:
        return []
    runs = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    out = [
        "",
        f"The same suite in one GX suite, partition {Path(runs[0]['dir']).name} (gx_run.py --together):",
        "",
    ]
    out += ["| PYTHONHASHSEED | #67 expect_multicolumn_sum_to_equal | GX error |", "|---:|---|---|"]
    for r in runs:
        res = r["results"][67]
        out.append(f"| {r['hash_seed']} | {'pass' if res['success'] else 'FAIL'} | {res['error'] or '-'} |")
    return out


def parity(expectations: list[dict], spec: str, together_file: str | None = None) -> tuple[dict, list[str]]:
    """spec = ENGINE.jsonl:GX.jsonl:MUTANTS.json -> (json part, markdown lines)."""
    engine_file, gx_file, mutants_file = spec.split(":")
    engine, gx = read_lines(engine_file), read_lines(gx_file)
    mutants = json.loads(Path(mutants_file).read_text())
    rows, unexpected = [], 0
    for name in engine:
        e, g = engine[name], gx.get(name, {"error": "no GX result"})
        c = compare(expectations, e, g)
        unexpected += len(c["unexpected"])
        fails = {
            side: [i for i, r in enumerate(run.get("results") or []) if not r["success"]]
            for side, run in (("engine", e), ("gx", g))
        }  # noqa: E501
        gate = suite_success(expectations, e.get("results") or [])
        gx_suite = suite_success(expectations, g.get("results") or [])["gx_style_success"]
        what = mutants.get(name, {}).get("breaks", "real sample, silver")
        rows.append({"partition": name, "breaks": what, "rows": e.get("rows"), **c, "fails": fails,
                     "gate_passes": gate["gate_passes"], "gx_suite_success": gx_suite})  # fmt: skip
    lines = [
        "",
        "## Parity, expectation by expectation",
        "",
        f"{len(rows)} partitions: the real sample's silver dates and {len(mutants)} mutated copies of the "
        "last one (bench/quality/mutants.py), each built to fail. Per expectation the bench compares "
        "the verdict, the observed values (element, unexpected and missing counts, `observed_value`) "
        "and whether it raised (bench/quality/parity.py). Results are matched by the index each "
        "expectation is given as its GX id.",
        "",
        "| partition | breaks | rows | failed (engine) | failed (GX) | agree | documented deviations | unexpected | gate | GX suite |",  # noqa: E501
        "|---|---|---:|---|---|---:|---|---|---|---|",
    ]
    for r in rows:
        dev = ", ".join(f"#{k['index']} {k['deviation']}" for k in r["known"]) or "-"
        unx = "; ".join(f"#{u['index']} {' / '.join(u['why'])}" for u in r["unexpected"]) or "none"
        lines.append(
            f"| {r['partition']} | {r['breaks']} | {r['rows']} | {r['fails']['engine'] or '-'} | "
            f"{r['fails']['gx'] or '-'} | {r['agree']}/{r['checked']} | {dev} | {unx} | "
            f"{'pass' if r['gate_passes'] else 'FAIL'} | {r['gx_suite_success']} |"
        )
    lines += ["", "### Documented deviations", ""]
    for name, _, _, why in KNOWN:
        seen = sum(1 for r in rows for k in r["known"] if k["deviation"] == name)
        lines.append(f"- `{name}` ({seen} times here): {why}")
    lines += [
        "- `expect_multicolumn_sum_to_equal` in one suite: GX's aggregate metrics (e.g. `column.mean`) "
        "convert a Decimal column to floats in place, in the frame being validated, so when the sum "
        "runs after one of them it adds floats to Decimals and raises; the order of metrics follows "
        "set iteration, i.e. PYTHONHASHSEED. bench/quality/gx_run.py validates it alone and gives every "
        "suite its own copy of the frame; it then agrees with our engine everywhere above.",
        *together(together_file),
        "",
        "Gate vs GX suite: GX's suite-level `success` ignores `severity` (any failed expectation fails "
        "the suite); our gate fails only when a `critical` expectation fails, warnings are reported. "
        "So `gate` = GX's `success` computed over the critical expectations only; both columns above "
        "come from the per-expectation results (GX suite = no expectation failed on GX's side).",
    ]
    return {"partitions": rows, "unexpected": unexpected}, lines
