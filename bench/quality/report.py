"""Compares the engine's and Great Expectations' runs: rows/s, peak RSS, and per expectation the
verdicts and observed values (parity.py). Writes bench/results/quality.json and quality.md; exits 1
on a difference that is not a documented deviation.

    report.py [--parity ENGINE.jsonl:GX.jsonl:MUTANTS.json] ROWS:ENGINE.json:GX.json ...
"""

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

from parity import compare
from parity_report import parity

RESULTS = Path(__file__).resolve().parents[1] / "results"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--parity")
    p.add_argument("--together", help="GX runs with the multicolumn sum inside the suite, one per hash seed")
    p.add_argument("runs", nargs="*")
    args = p.parse_args()
    suite = json.loads((RESULTS.parents[1] / "expectations" / "silver_order_lines.json").read_text())
    runs, disagree = [], 0
    for arg in args.runs:
        rows, engine_file, gx_file = arg.split(":")
        engine, gx = (json.loads(Path(f).read_text()) for f in (engine_file, gx_file))
        c = compare(suite["expectations"], engine, gx)
        disagree += len(c["unexpected"])
        runs.append(
            {
                "rows": int(rows),
                "engine": {k: engine[k] for k in ("seconds", "peak_rss_mb")}
                | {"rows_per_s": int(rows) / engine["seconds"]},  # noqa: E501
                "gx": {k: gx[k] for k in ("seconds", "peak_rss_mb")}
                | {"rows_per_s": int(rows) / gx["seconds"]},  # noqa: E501
                "speed_ratio": gx["seconds"] / engine["seconds"],
                "agree": c["agree"],
                "known": c["known"],
                "unexpected": c["unexpected"],
                "expectations": len(engine["verdicts"]),
                "passed": sum(engine["verdicts"]),
            }
        )
    measured = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    speed_note = ""
    if not runs and (RESULTS / "quality.json").exists():
        # Parity alone (SIZES=""): keep the previous speed measurements, dated.
        previous = json.loads((RESULTS / "quality.json").read_text())
        stale = ("verdicts_agree", "disagreements")  # from the harness that could not fail
        runs = [
            {k: v for k, v in r.items() if k not in stale}
            | {"measured": r.get("measured", previous["measured"])}
            for r in previous["runs"]
        ]
        speed_note = f" Speed rows below: measured {runs[0]['measured']} (an earlier run), not re-run now."
    node_options = os.environ.get("NODE_OPTIONS", "")
    doc = {
        "suite": "silver_order_lines",
        "measured": measured,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "engine_node_options": node_options,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    lines = [
        "# bench-quality: silver suite, our engine vs Great Expectations 1.24.1 (pandas)",
        "",
        f"Measured {measured} by `make bench-quality` on {doc['machine']}: the same suite file "
        "(expectations/silver_order_lines.json) on the same Parquet files (the real sample's silver "
        "repeated, keys rewritten; bench/quality/silver_fixture.py), one after the other. The engine "
        f"ran with NODE_OPTIONS=`{node_options or '(none)'}`, as the DAG runners start the gate.{speed_note}",
        "",
        "| rows | engine s | engine rows/s | engine peak RSS MB | GX s | GX rows/s | GX peak RSS MB | ratio | verdicts |",  # noqa: E501
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        e, g = r["engine"], r["gx"]
        if "agree" not in r:
            agree = "not compared: that harness matched every result to one (see Parity)"
        else:
            known = ", ".join(f"#{k['index']} {k['deviation']}" for k in r["known"])
            agree = f"{r['agree']}/{r['expectations']} agree" + (f"; documented: {known}" if known else "")
        if r.get("unexpected"):
            agree += f"; DIFFER: {r['unexpected']}"
        lines.append(
            f"| {r['rows']:,} | {e['seconds']:.2f} | {e['rows_per_s']:,.0f} | {e['peak_rss_mb']:.0f} | "
            f"{g['seconds']:.1f} | {g['rows_per_s']:,.0f} | {g['peak_rss_mb']:.0f} | {r['speed_ratio']:.0f}x | {agree} |"  # noqa: E501
        )
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    met = {True: "yes", False: "no"}
    for r in runs:
        ratio = r["speed_ratio"]
        lines.append(f"| >= 20x GX at {r['rows']:,} rows | {ratio:.0f}x | {met[ratio >= 20]} |")
        if r["rows"] >= 1_000_000:
            rss = r["engine"]["peak_rss_mb"]
            lines.append(f"| peak RSS < 300 MB at {r['rows']:,} rows | {rss:.0f} MB | {met[rss < 300]} |")
    if args.parity:
        doc["parity"], more = parity(suite["expectations"], args.parity, args.together)
        disagree += doc["parity"]["unexpected"]
        lines += more
    (RESULTS / "quality.json").write_text(json.dumps(doc, indent=1) + "\n")
    (RESULTS / "quality.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
