"""Turns one ingest benchmark run into bench/results/ingest.json and ingest.md (targets and ratios)."""

from __future__ import annotations

import json
from pathlib import Path

TARGET_ROWS_PER_SEC = 100_000
TARGET_PERF_RATIO = 0.5
TARGET_RSS_MB = 300
STEPS = ("generate", "ingest_raw", "stream_produce", "stream_land")


def rate(rows: int, step: dict) -> float:
    return rows / step["seconds"] if step["seconds"] else 0.0


def derive(run: dict) -> dict:
    """Rows/s per step, the produce phases, and every ratio against its target."""
    rows = run["rows"]
    for name in STEPS:
        if name in run:
            run[name]["rows_per_sec"] = round(rate(rows, run[name]))
    produce = run["stream_produce"]
    details = produce["result"].get("details") or {}
    events = (produce["result"].get("counts") or {}).get("events", 0)
    if details.get("publishMs"):
        produce["publish_rows_per_sec"] = round(events / (details["publishMs"] / 1000))
        produce["route_rows_per_sec"] = round(rows / max(details.get("routeMs", 0), 1) * 1000)
        produce["event_bytes_avg"] = round(details.get("eventBytes", 0) / max(events, 1))
    ceiling = run["perf_test"]["records_per_sec"]
    land = run["stream_land"]
    run["targets"] = [
        target("stream-produce rows/s", produce["rows_per_sec"], TARGET_ROWS_PER_SEC),
        target("stream-produce / perf-test", produce["rows_per_sec"] / ceiling, TARGET_PERF_RATIO),
        target("stream-land rows/s", land["rows_per_sec"], TARGET_ROWS_PER_SEC),
    ]
    if rows >= 1_000_000:
        for name in ("ingest_raw", "stream_produce", "stream_land"):
            rss = run[name]["peak_rss_mb"]
            run["targets"].append(target(f"{name} peak RSS MB", rss, TARGET_RSS_MB, at_least=False))
    return run


def target(name: str, measured: float, goal: float, at_least: bool = True) -> dict:
    ratio = measured / goal if goal else 0.0
    return {
        "target": name,
        "goal": f"{'>=' if at_least else '<'} {goal:,}",
        "measured": round(measured, 3),
        "ratio_to_goal": round(ratio, 3),
        "met": measured >= goal if at_least else measured < goal,
    }


def markdown(report: dict) -> str:
    out = [
        "# Ingest benchmark",
        "",
        f"Run `{report['run_id']}` on {report['machine']['cpus']} CPUs ({report['machine']['platform']}), "
        "produced by `make bench-ingest` (bench/ingest/run.py). Rows/s = rows / wall seconds of the whole "
        "command, start-up included; peak RSS = maximum resident set (GNU time). The load average is the "
        "machine's 1-minute load when the step started (the machine is shared).",
        "",
    ]
    for run in report["runs"]:
        rows = run["rows"]
        out += [f"## {rows:,} rows ({run['file_bytes'] / 1e6:,.1f} MB of CSV)", ""]
        out += ["| step | seconds | rows/s | peak RSS MB | CPU s | load avg |"]
        out += ["|---|---:|---:|---:|---:|---:|"]
        for name in STEPS:
            if name in run:
                s = run[name]
                step = name.replace("_", "-")
                out.append(
                    f"| {step} | {s['seconds']} | {s['rows_per_sec']:,} | {s['peak_rss_mb']} "
                    f"| {s['cpu_seconds']} | {s['load_average']} |"
                )
        perf = run["perf_test"]
        out.append(
            f"| kafka-producer-perf-test | {perf['seconds']} | {round(perf['records_per_sec']):,} | - | - "
            f"| {perf['load_average']} |"
        )
        produce = run["stream_produce"]
        out += [
            "",
            f"stream-produce phases: routing pass {produce.get('route_rows_per_sec', 0):,} rows/s, "
            f"publishing {produce.get('publish_rows_per_sec', 0):,} events/s; event value "
            f"{produce.get('event_bytes_avg', 0):,} bytes on average. Perf test: the same broker, "
            f"{perf['settings']}, {run['record_bytes']:,}-byte records taken from this run's bronze events "
            f"(`--payload-file`). Its line: `{perf['summary']}`",
            "",
            "| target | goal | measured | ratio to goal | met |",
            "|---|---|---:|---:|---|",
        ]
        for t in run["targets"]:
            out.append(
                f"| {t['target']} | {t['goal']} | {t['measured']:,} | {t['ratio_to_goal']} | "
                f"{'yes' if t['met'] else 'no'} |"
            )
        out.append("")
    return "\n".join(out)


def write_reports(report: dict, folder: Path) -> None:
    report["runs"] = [derive(run) for run in report["runs"]]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ingest.json").write_text(json.dumps(report, indent=2) + "\n")
    (folder / "ingest.md").write_text(markdown(report))
    print(markdown(report))
