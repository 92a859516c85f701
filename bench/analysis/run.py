"""make bench-analysis: the analysis step's full mart build, timed, side by side on two designs.

For each size (128,975 rows: the synthetic full-size dataset as `make demo` loads it; 10M rows: the
same facts replicated 78 times into a bench schema, order ids suffixed), the step runs twice:
  - on the star schema as the warehouse has it (monthly partitions, the model's indexes);
  - on an unpartitioned, unindexed copy of the same tables.
Each build's wall time and the step's peak RSS (the process's own, from wait4) are recorded, and
the two builds' marts must be identical (compare.py), or the bench reports the difference.
Results: bench/results/analysis.md and .json. SIZES=128975 runs one size.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "warehouse"))
sys.path.insert(0, str(HERE))

from compare import differences  # noqa: E402
from sqlshell import psql  # noqa: E402

BASE = "synthetic-seed1-128975"
COPIES = 78  # 128,975 x 78 = 10,060,050 rows
MARTS = [
    "mart_sales_daily", "mart_sales_weekly", "mart_sales_monthly", "mart_sales_by_dimension",
    "mart_category_daily", "mart_revenue_lost", "mart_customer_type", "mart_basket_size",
    "mart_repeat_customers", "mart_promotion_effect", "mart_segment_rates", "mart_product_ranking",
    "mart_style_pareto", "mart_revenue_concentration", "mart_size_mix", "mart_trend",
    "features_customer_segments", "features_product_segments",
]  # fmt: skip
FACT_COLUMNS = [
    "dataset", "dt", "order_id", "sku", "date_key", "product_key", "location_key", "fulfilment_key",
    "status_key", "promotion_group_key", "qty", "amount", "gross_amount", "realised_amount", "lost_amount",
    "promo_count", "is_b2b", "is_cancelled", "is_non_amazon",
]  # fmt: skip
DIMS = ["dim_date", "dim_product", "dim_location", "dim_fulfilment", "dim_status", "dim_promotion"]


def log(msg: str) -> None:
    print(f"[bench-analysis] {msg}", flush=True)


def cli(*args: str) -> tuple[float, int, subprocess.CompletedProcess]:
    """Runs the task program; returns wall seconds, peak RSS in MB (wait4) and the process."""
    started = time.monotonic()
    proc = subprocess.Popen(
        ["node", str(ROOT / "tasks/dist/cli.js"), *args, "--xcom-path", "/dev/null", "--log-level", "warn"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    done = subprocess.CompletedProcess(proc.args, code, out, err)
    if code != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed ({code}): {err.strip()[-1500:]}")
    return time.monotonic() - started, usage.ru_maxrss // 1024, done


def count(schema: str, dataset: str) -> int:
    return int(
        psql(f"select count(*) from {schema}.fact_order_lines where dataset = '{dataset}';").strip() or 0
    )


def ensure_base() -> int:
    rows = count("sales", BASE)
    if rows == 0:
        raise SystemExit(
            f"dataset {BASE} is not loaded: run `make demo` (or make history DATASET={BASE}) first"
        )
    return rows


def ensure_big(schema: str) -> int:
    """The 10M-row copy in its own migrated schema (kept between runs)."""
    dataset = "bench-10m"
    if count_or_zero(schema, dataset) == 0:
        log(f"building {schema}: {COPIES} copies of {BASE} (a few minutes, once)")
        cli("warehouse-migrate", "--schema", schema)
        script = [f"insert into {schema}.{d} select * from sales.{d} on conflict do nothing;" for d in DIMS]
        for month in range(3, 7):  # the monthly partitions the loader would have created
            bounds = f"from ('2022-{month:02d}-01') to ('2022-{month + 1:02d}-01')"
            script.append(
                f"create table if not exists {schema}.fact_order_lines_2022_{month:02d} "
                f"partition of {schema}.fact_order_lines for values {bounds};"
            )
        bridge = "bridge_order_line_promotion"
        script.append(f"insert into {schema}.{bridge} select * from sales.{bridge} on conflict do nothing;")
        columns = [c for c in FACT_COLUMNS if c not in ("dataset", "order_id")]
        script.append(
            f"insert into {schema}.fact_order_lines (dataset, order_id, {', '.join(columns)})\n"
            f"select '{dataset}', f.order_id || '-' || g, {', '.join('f.' + c for c in columns)}\n"
            f"from sales.fact_order_lines as f cross join generate_series(1, {COPIES}) as g\n"
            f"where f.dataset = '{BASE}';"
        )
        script.append(f"analyze {schema}.fact_order_lines;")
        psql("\n".join(script))
    return count(schema, dataset)


def count_or_zero(schema: str, dataset: str) -> int:
    exists = psql(f"select count(*) from information_schema.tables where table_schema = '{schema}';").strip()
    return count(schema, dataset) if int(exists) else 0


def plain_copy(source: str, target: str, dataset: str) -> None:
    """An unpartitioned, unindexed copy of the star schema's tables for one dataset."""
    script = [f"drop schema if exists {target} cascade;", f"create schema {target};"]
    for d in [*DIMS, "bridge_order_line_promotion"]:
        script.append(f"create table {target}.{d} as select * from {source}.{d};")
    fact = "fact_order_lines"
    script.append(
        f"create table {target}.{fact} as select * from {source}.{fact} where dataset = '{dataset}';"
    )
    script.append(f"analyze {target}.fact_order_lines;")
    psql("\n".join(script))


def checksums(marts_schema: str, dataset: str) -> dict[str, tuple[int, str]]:
    out = {}
    for mart in MARTS:
        row = psql(
            f"select count(*), coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
            f"(select * from {marts_schema}.{mart} where dataset = '{dataset}') as t;"
        ).strip()
        n, digest = row.split("|")
        out[mart] = (int(n), digest)
    return out


def build(schema: str, marts: str, dataset: str, first: str, last: str) -> dict:
    dates = ["--dt", first, "--to", last]
    seconds, rss, _ = cli(
        "analysis", *dates, "--dataset", dataset, "--schema", schema, "--marts-schema", marts, "--no-report"
    )
    return {"seconds": round(seconds, 2), "peak_rss_mb": rss}


def main() -> None:
    sizes = [int(s) for s in os.environ.get("SIZES", "128975 10000000").split()]
    results = []
    base_rows = ensure_base()
    first, last = (
        psql(f"select min(dt), max(dt) from sales.fact_order_lines where dataset = '{BASE}';")
        .strip()
        .split("|")
    )
    for size in sizes:
        if size <= base_rows * 2:  # the full-size dataset (a few lines may sit in quarantine)
            schema, dataset = "sales", BASE
        else:
            schema, dataset = "bench_analysis", "bench-10m"
            ensure_big(schema)
        rows = count(schema, dataset)
        plain = f"bench_plain_{rows}"
        log(f"{rows:,} rows: plain copy")
        plain_copy(schema, plain, dataset)
        log(f"{rows:,} rows: build on the star schema")
        ours = build(schema, "bench_marts", dataset, first, last)
        log(f"  {ours}")
        log(f"{rows:,} rows: build on the plain copy")
        peer = build(plain, "bench_marts_plain", dataset, first, last)
        log(f"  {peer}")
        diff = differences(checksums("bench_marts", dataset), checksums("bench_marts_plain", dataset))
        results.append({"rows": rows, "partitioned": ours, "plain": peer, "marts_differ": diff})
        if diff:
            log("MARTS DIFFER between the two builds: " + "; ".join(diff))
    load = os.getloadavg()
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": [round(x, 2) for x in load],
        "results": results,
    }
    (ROOT / "bench/results/analysis.json").write_text(json.dumps(report, indent=1) + "\n")
    (ROOT / "bench/results/analysis.md").write_text(render(report))
    log("wrote bench/results/analysis.md")
    if any(r["marts_differ"] for r in results):
        raise SystemExit(1)


def render(report: dict) -> str:
    lines = [
        "# Analysis benchmark (make bench-analysis)",
        "",
        f"{report['date']}, {report['machine']}, load average {report['load_average']}.",
        "The analysis step rebuilds every mart of one dataset (18 queries, one transaction, no report);",
        "the same step on an unpartitioned, unindexed copy of the same tables beside it. Targets (issue 11):",
        "under 300 MB peak RSS at 10M rows, the 10M build under 2 minutes.",
        "",
        "| fact rows | star schema (partitioned, indexed) | plain copy | plain / star "
        "| peak RSS (star, plain) | marts equal |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        ours, peer = r["partitioned"], r["plain"]
        ratio = peer["seconds"] / ours["seconds"]
        equal = "NO: " + "; ".join(r["marts_differ"]) if r["marts_differ"] else "yes"
        lines.append(
            f"| {r['rows']:,} | {ours['seconds']} s | {peer['seconds']} s | {ratio:.2f}x "
            f"| {ours['peak_rss_mb']} MB, {peer['peak_rss_mb']} MB | {equal} |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
