"""make bench-dashboards: the dashboard site built and loaded from the marts of a 10M-row history.

`make bench-analysis` leaves the marts of its 10M-row dataset (`bench-10m`, 91 days) in the bench
schema `bench_marts`. This copies them into the `marts` schema the site reads, trains the models on
them (the `train` step: forecast and segments, as the DAG does), times the `dashboard` step (build
from the marts and upload), then measures the built site in Chromium (dashboards/test/measure.mjs:
a second build with the loader cache cleared, each page's load time and data payload). The copied
and trained rows are deleted from `marts` at the end, pass or fail. No peer: the numbers are held
to the issue's targets (build < 60 s, page load < 1 s, data < 2 MB a page).
Output: bench/results/dashboards-10m.md (and the same lines on stdout).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "warehouse"))

from sqlshell import psql  # noqa: E402

DATASET = "bench-10m"
SOURCE = "bench_marts"
LAST_DAY = "2022-06-29"


def say(message: str) -> None:
    print(f"[bench-dashboards] {message}", file=sys.stderr, flush=True)


def tables_with_dataset(schema: str) -> dict[str, list[str]]:
    """Base tables of the schema that have a dataset column -> their columns in order."""
    out = psql(
        "select c.table_name, string_agg(c.column_name, ',' order by c.ordinal_position) "
        "from information_schema.columns c join information_schema.tables t "
        "on t.table_schema = c.table_schema and t.table_name = c.table_name "
        f"where c.table_schema = '{schema}' and t.table_type = 'BASE TABLE' group by c.table_name;"
    )
    tables = {}
    for line in out.splitlines():
        name, columns = line.split("|")
        if "dataset" in columns.split(","):
            tables[name] = columns.split(",")
    return tables


def clear(tables: dict[str, list[str]]) -> None:
    psql("".join(f"delete from marts.{t} where dataset = '{DATASET}';\n" for t in tables))


def step(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        ["node", "tasks/dist/cli.js", *args, "--dataset", DATASET, "--dt", LAST_DAY, "--xcom-path=/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} exited {done.returncode}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> int:
    built = psql(f"select fact_lines, dt_from, dt_to from {SOURCE}.mart_build where dataset = '{DATASET}';")
    if not built.strip():
        say(f"no marts of {DATASET} in {SOURCE}: run `make bench-analysis` first (it builds them)")
        return 2
    fact_rows, first, last = built.splitlines()[0].split("|")
    marts = tables_with_dataset("marts")
    source = tables_with_dataset(SOURCE)
    copied = [t for t in source if t in marts and source[t] == marts[t]]
    skipped = sorted(set(source) - set(copied))
    if skipped:
        say(f"not copied (no same table in marts): {', '.join(skipped)}")
    try:
        clear(marts)
        script = "begin;\n"
        for t in copied:
            columns = ", ".join(source[t])
            script += f"insert into marts.{t} ({columns}) select {columns} from {SOURCE}.{t} "
            script += f"where dataset = '{DATASET}';\n"
        psql(script + "commit;\n")
        say(f"copied {len(copied)} mart tables of {DATASET} ({int(fact_rows):,} fact rows, {first}..{last})")
        train_s = step("train")
        say(f"train: {train_s:.1f} s")
        dashboard_s = step("dashboard")
        say(f"dashboard step (build + upload): {dashboard_s:.1f} s; measuring the site in Chromium")
        measured = subprocess.run(
            ["node", "--import", "tsx", "test/measure.mjs", DATASET],
            cwd=ROOT / "dashboards",
            env={**os.environ, "OBSERVABLE_TELEMETRY_DISABLE": "true"},
            capture_output=True,
            text=True,
        )
        if measured.returncode != 0:
            raise SystemExit(f"measure.mjs exited {measured.returncode}:\n{measured.stderr[-3000:]}")
    finally:
        clear(marts)
    load = os.getloadavg()[0]
    lines = [
        "# Dashboards at 10M rows",
        "",
        f"Run by `make bench-dashboards` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"1-minute load average {load:.1f} at the end. The marts of `{DATASET}` ({int(fact_rows):,} fact "
        f"rows, {first}..{last}, built by `make bench-analysis`) copied into `marts`, then the `train` "
        "and `dashboard` steps as the DAG runs them, then `dashboards/test/measure.mjs` (a second build "
        "with the loader cache cleared; each page in Chromium). Targets: build < 60 s, page load < 1 s, "
        "data < 2 MB a page.",
        "",
        f"- `train` step: {train_s:.1f} s",
        f"- `dashboard` step (build from the marts, upload to S3): {dashboard_s:.1f} s",
        *measured.stdout.strip().splitlines(),
        "",
        f"The data-quality page has no marks for `{DATASET}`: `make bench-analysis` copies facts into a "
        "bench schema and runs no quality gate, so no gate results, quarantine, dead letters or load "
        "audit exist for it (the measure script reports those charts as problems). The other pages "
        "read only marts and model tables, whose size depends on days, dimension values and styles, "
        "not on order lines.",
        "",
    ]
    out = ROOT / "bench" / "results" / "dashboards-10m.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    say(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
