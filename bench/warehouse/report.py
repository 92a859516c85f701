"""bench/results/warehouse.md and .json from the measurements of bench_warehouse.py."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["decode", "encode", "stage", "members", "dimensions", "fact_insert", "reconcile", "commit"]


def _peer(loads: list[dict], load: dict) -> dict:
    return next(
        x for x in loads if (x["rows"], x["layout"], x["method"]) == (load["rows"], load["layout"], "insert")
    )


def _load_rows(report: dict) -> list[str]:
    lines = [
        "| rows | layout | method | load s | rows/s | Node CPU s | server CPU s | staging s "
        "| merge + reconcile s | load avg before/after | COPY speed-up (total / staging) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for load in report["loads"]:
        ratio = ""
        if load["method"] == "copy":
            peer = _peer(report["loads"], load)
            total, staging = peer["seconds"] / load["seconds"], peer["stage_seconds"] / load["stage_seconds"]
            ratio = f"{total:.1f}x / {staging:.1f}x"
        avg = load.get("load_average", "n/a")
        avg = "/".join(map(str, avg)) if isinstance(avg, list) else avg
        lines.append(
            f"| {load['rows']:,} | {load['layout']} | {load['method']} | {load['seconds']} | "
            f"{load['rows_per_s']:,} | {load.get('node_cpu_seconds', 'n/a')} | "
            f"{load.get('server_cpu_seconds', 'n/a')} | {load['stage_seconds']} | "
            f"{load['merge_and_reconcile_seconds']} | {avg} | {ratio} |"
        )
    return lines


def _step_rows(report: dict) -> list[str]:
    lines = [
        "| rows | layout | method | " + " | ".join(STEPS) + " |",
        "|---|---|---|" + "---|" * len(STEPS),
    ]
    for load in report["loads"]:
        steps = load.get("steps_ms")
        if not steps:
            continue
        cells = []
        for s in STEPS:
            cpu = steps.get(f"{s}_server_cpu")
            cells.append(f"{steps.get(s, 0):,}" + ("" if cpu is None else f" ({cpu:,})"))
        head = f"| {load['rows']:,} | {load['layout']} | {load['method']} | "
        lines.append(head + " | ".join(cells) + " |")
    return lines


def write(report: dict) -> None:
    """Writes warehouse.json and warehouse.md."""
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "warehouse.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Warehouse benchmark",
        "",
        f"Run by `make bench-warehouse` on {report['machine']}; total {report['seconds']} s.",
        "Timings depend on the load of a shared machine: read the ratios and the CPU.",
        "",
        "## Load: warehouse-load (COPY FROM STDIN) vs multi-row INSERT staging",
        "",
        "Synthetic silver to the contract, each run into a freshly migrated schema, one transaction per day",
        "(stage, dimensions, fact partition, reconciliation). Both methods run the same step; only the way",
        "the day's lines reach the staging table differs (COPY, or INSERT statements of 1,000 lines).",
        "",
        "Layout: all rows in one day (throughput), or the 91 days of the real data, 2022-03-31..2022-06-29",
        "(a history load with --to: ~1,400 rows a day, where the fixed cost of each day's transaction",
        "dominates). Load s = the load itself (reading silver and every day's transaction), from the step's",
        "per-date timings; the process start adds about a second. Node CPU = the step's process (all its",
        "threads, start included); server CPU = PostgreSQL's processes over the run. Staging = silver into",
        "the staging table (decoding included: it streams); merge = members, dimensions, fact,",
        "reconciliation.",
        "",
        *_load_rows(report),
        "",
    ]
    copies = [x for x in report["loads"] if x["method"] == "copy"]
    best = max(x["rows_per_s"] for x in copies)
    ratios = [_peer(report["loads"], x)["seconds"] / x["seconds"] for x in copies]
    met = {True: "met", False: "not met"}
    lines += [
        f"Targets: >= 200,000 rows/s and >= 10x the INSERT loader. Measured: best {best:,} rows/s end to end "
        f"({met[best >= 200_000]}); COPY is {min(ratios):.1f}x-{max(ratios):.1f}x the INSERT peer "
        f"({met[min(ratios) >= 10]}).",
        "",
        "### Where the time goes",
        "",
        "Milliseconds of each step summed over the run's days, in brackets the server's CPU in that step.",
        "decode = Parquet to columns (Node); encode = columns to COPY text (Node); stage = the staging",
        "statement (COPY or INSERTs), during which decode and encode run; members = the day's distinct",
        "dimension members; dimensions = the upserts; fact_insert = the insert into the month's partition.",
        "",
        *_step_rows(report),
    ]
    if report.get("note"):
        lines += ["", f"Note: {report['note']}."]
    ten = report["ten_million"]
    lines += [
        "",
        f"## Analysis queries at {ten['rows']:,} rows (dataset `{ten['dataset']}`, 2022)",
        "",
        f"Median of 3 runs. Partitioned: monthly range partitions, primary key and "
        f"fact_order_lines_product_ix; plain: one heap, no index. Built in {ten['seconds']} s.",
        "",
        "| query | parameters | partitioned+indexed ms | plain ms | speed-up | same result |",
        "|---|---|---|---|---|---|",
    ]
    for name, q in report["queries"].items():
        lines.append(
            f"| {name} | {q['params']} | {q['partitioned_ms']} | {q['plain_ms']} | "
            f"{q['plain_ms'] / q['partitioned_ms']:.1f}x | {q['same_result']} |"
        )
    (out / "warehouse.md").write_text("\n".join(lines) + "\n")
    print(f"[bench-warehouse] results in {out / 'warehouse.md'}", flush=True)
