"""Turns one ingest benchmark run into bench/results/ingest.json and ingest.md (targets and ratios)."""

from __future__ import annotations

import json
from pathlib import Path

TARGET_ROWS_PER_SEC = 100_000
TARGET_PERF_RATIO = 0.6
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
            run[name]["cpu_us_per_row"] = round(run[name]["cpu_seconds"] * 1e6 / rows, 1)
    produce = run["stream_produce"]
    details = produce["result"].get("details") or {}
    events = (produce["result"].get("counts") or {}).get("events", 0)
    if details.get("publishMs"):
        produce["publish_rows_per_sec"] = round(events / (details["publishMs"] / 1000))
        # Only a paced replay has a routing pass; an unpaced one publishes as it reads.
        if details.get("routeMs"):
            produce["route_rows_per_sec"] = round(rows / details["routeMs"] * 1000)
        produce["event_bytes_avg"] = round(details.get("eventBytes", 0) / max(events, 1))
    ceiling = run["perf_test"]["records_per_sec"]
    land = run["stream_land"]
    run["targets"] = [
        target("stream-produce rows/s", produce["rows_per_sec"], TARGET_ROWS_PER_SEC),
        target("stream-produce / perf-test", produce["rows_per_sec"] / ceiling, TARGET_PERF_RATIO),
        target("stream-land rows/s", land["rows_per_sec"], TARGET_ROWS_PER_SEC),
        target("stream-land / perf-test", land["rows_per_sec"] / ceiling, TARGET_PERF_RATIO),
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
        "command, start-up included; peak RSS = maximum resident set (GNU time); CPU µs/row = (user + "
        "system CPU seconds of the process, its thread pool included) / rows, which other work on the "
        "machine disturbs far less than rows/s. The load average is the machine's 1-minute load when the "
        "step started (the machine is shared).",
        "",
    ]
    for run in report["runs"]:
        rows = run["rows"]
        out += [f"## {rows:,} rows ({run['file_bytes'] / 1e6:,.1f} MB of CSV)", ""]
        out += ["| step | seconds | rows/s | peak RSS MB | CPU s | CPU µs/row | load avg |"]
        out += ["|---|---:|---:|---:|---:|---:|---:|"]
        for name in STEPS:
            if name in run:
                s = run[name]
                step = name.replace("_", "-")
                out.append(
                    f"| {step} | {s['seconds']} | {s['rows_per_sec']:,} | {s['peak_rss_mb']} "
                    f"| {s['cpu_seconds']} | {s['cpu_us_per_row']} | {s['load_average']} |"
                )
        perf = run["perf_test"]
        out.append(
            f"| kafka-producer-perf-test | {perf['seconds']} | {round(perf['records_per_sec']):,} "
            f"| - | - | - | {perf['load_average']} |"
        )
        produce = run["stream_produce"]
        out += [
            "",
            f"stream-produce phases: {phases(produce)}; event value "
            f"{produce.get('event_bytes_avg', 0):,} bytes on average. Perf test: the same broker, "
            f"{perf['settings']}, {run['record_bytes']:,}-byte records taken from this run's bronze events "
            f"(`--payload-file`). Its line: `{perf['summary']}`",
            "",
            wall_line(run),
            "",
            *previous_lines(run),
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


def wall_line(run: dict) -> str:
    """The steps against the perf test on wall seconds, both start-ups included (for information)."""
    perf = run["perf_test"]["seconds"]
    ratios = ", ".join(
        f"{name.replace('_', '-')} {perf / run[name]['seconds']:.3f}x"
        for name in ("stream_produce", "stream_land")
        if run[name]["seconds"]
    )
    return (
        "The targets compare our wall seconds, start-up included, with the perf test's own rate, which "
        f"leaves out its JVM start and connection. On wall seconds for both ({perf} s for the perf test): "
        f"{ratios} (for information, not a target)."
    )


def previous_lines(run: dict) -> list[str]:
    """The same size in the results this run replaces, side by side (empty when there were none)."""
    before = run.get("previous")
    if not before:
        return []
    out = [
        f"Against the previous results file (run `{before['run_id']}`, same rows):",
        "",
        "| step | rows/s before | rows/s now | CPU µs/row before | CPU µs/row now |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ("stream_produce", "stream_land"):
        old, new = before["steps"].get(name), run[name]
        if old:
            out.append(
                f"| {name.replace('_', '-')} | {old['rows_per_sec']:,} | {new['rows_per_sec']:,} "
                f"| {old['cpu_us_per_row']} | {new['cpu_us_per_row']} |"
            )
    return [*out, ""]


def attach_previous(report: dict, path: Path) -> None:
    """Keeps, per size, the produce and land figures of the results file about to be replaced."""
    if not path.exists():
        return
    old = json.loads(path.read_text())
    for run in report["runs"]:
        match = next((r for r in old.get("runs", []) if r.get("rows") == run["rows"]), None)
        if not match:
            continue
        steps = {}
        for name in ("stream_produce", "stream_land"):
            if name in match:
                s = match[name]
                cpu = s.get("cpu_us_per_row", round(s["cpu_seconds"] * 1e6 / run["rows"], 1))
                steps[name] = {"rows_per_sec": s["rows_per_sec"], "cpu_us_per_row": cpu}
        run["previous"] = {"run_id": old.get("run_id"), "steps": steps}


def phases(produce: dict) -> str:
    """stream-produce's phases: paced, a routing pass then publishing; unpaced, publishing as it reads."""
    publishing = f"{produce.get('publish_rows_per_sec', 0):,} events/s"
    if "route_rows_per_sec" in produce:
        return f"routing pass {produce['route_rows_per_sec']:,} rows/s, publishing {publishing}"
    return f"publishing {publishing}, each raw object read as it is published (no routing pass)"


def write_reports(report: dict, folder: Path) -> None:
    report["runs"] = [derive(run) for run in report["runs"]]
    attach_previous(report, folder / "ingest.json")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ingest.json").write_text(json.dumps(report, indent=2) + "\n")
    (folder / "ingest.md").write_text(markdown(report))
    print(markdown(report))
