"""make bench-warehouse-memory: peak RSS of `warehouse-load` on a 10M-row silver day.

The day is synthetic silver to the contract (the bench pool of tests/sql/silver_synthetic.py, drawn
a million rows at a time), written as Glue now writes a big day (parts of at most 1M rows) and as
it wrote before (one file for the date). Each load runs in its own process into a freshly migrated
schema; its peak resident set size is the kernel's (getrusage of the finished child). `--before
<dist>` also runs another build of the task program (e.g. the previous commit's) on the one-file
layout, beside the current one. Results: bench/results/warehouse-memory.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "sql"))
sys.path.insert(0, str(Path(__file__).parent))
import silver_synthetic  # noqa: E402
from bench_warehouse import bench_s3  # noqa: E402
from silver_fixture import SCHEMA  # noqa: E402
from sqlshell import psql  # noqa: E402

sys.path.insert(0, str(ROOT / "plugins"))
from sales_pipeline.steps import node_env  # noqa: E402

BUCKET = "bench-warehouse"
DAY = "2022-04-30"
CHUNK = 1_000_000
# Rows per row group: what the Glue job's 4 MiB parquet.block.size gives for this data.
ROW_GROUP = 100_000
LIMIT_MB = 300


def say(msg: str) -> None:
    print(f"[bench-warehouse-memory] {msg}", flush=True)


def chunk_table(pool: pa.Table, rng: random.Random, dataset: str, rows: int, offset: int) -> pa.Table:
    """`rows` lines of DAY drawn from the pool with unique order ids (8 digits: 10M lines), whose
    first part rises from chunk to chunk (400, 401, ...), so the day stays in key order across its
    chunks, as the loader wants it."""
    return silver_synthetic.synthetic_table(
        pool, rng, dataset, DAY, rows, offset, width=8, leading=400 + offset // CHUNK
    ).cast(SCHEMA)


def write_day(out: Path, dataset: str, rows: int, parts: bool) -> None:
    """The day under out/: parts of at most CHUNK rows, or one file; and its _manifest.json.
    Row groups of ROW_GROUP rows, as the Glue job writes them."""
    if (out / "_manifest.json").exists():
        return
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rows)
    pool = silver_synthetic.template_pool(rng)
    amount, realised, names, writer = Decimal(0), Decimal(0), [], None
    for n, offset in enumerate(range(0, rows, CHUNK)):
        table = chunk_table(pool, rng, dataset, min(CHUNK, rows - offset), offset)
        amount += pc.sum(table["amount"]).as_py() or Decimal(0)
        realised += pc.sum(table["realised_amount"]).as_py()
        if parts or writer is None:
            if writer:
                writer.close()
            names.append(f"part-{n:05d}-bench.snappy.parquet")
            writer = pq.ParquetWriter(out / names[-1], SCHEMA, compression="snappy")
        writer.write_table(table, row_group_size=ROW_GROUP)
        say(f"  {offset + table.num_rows:,} rows written")
    writer.close()
    manifest = {
        "dataset": dataset,
        "dt": DAY,
        "run_id": "bench",
        "silver_rows": rows,
        "silver_amount_sum": f"{amount:.2f}",
        "silver_realised_sum": f"{realised:.2f}",
        "files": names,
    }
    (out / "_manifest.json").write_text(json.dumps(manifest))


def upload(local: Path, dataset: str) -> None:
    s3 = bench_s3()
    prefix = f"lake/silver/order_lines/dataset={dataset}/dt={DAY}/"
    for old in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=old["Key"])
    for path in sorted(local.iterdir()):
        s3.upload_file(str(path), BUCKET, prefix + path.name)


def peak_rss(dist: Path, flags: bool, *args: str) -> tuple[float, float, dict]:
    """Runs one step in a child that only waits for it: (peak RSS MB, seconds, result JSON).
    flags: give the step the NODE_OPTIONS both runners give it today (the build before had none)."""
    xcom = ROOT / ".local" / "bench-memory-result.json"
    # NODE_OPTIONS as both runners give the step (plugins/sales_pipeline/steps.py).
    env = {**os.environ, "S3_BUCKET": BUCKET, "LOG_LEVEL": "warn", **(node_env(args[0]) if flags else {})}
    probe = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r)"
    )
    cmd = ["node", str(dist / "cli.js"), *args, "--xcom-path", str(xcom)]
    t0 = time.monotonic()
    run = subprocess.run([sys.executable, "-c", probe, *cmd], env=env, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    result = json.loads(xcom.read_text()) if xcom.exists() else {}
    if run.returncode != 0:
        error = result.get("error")
        raise SystemExit(f"{' '.join(args)} failed ({run.returncode}): {error}\n{run.stderr[-3000:]}")
    return int(run.stdout.strip().splitlines()[-1]) / 1024, seconds, result


def measure(dist: Path, dataset: str, flags: bool) -> dict:
    schema = "bench_memory"
    psql(f"drop schema if exists {schema} cascade")
    peak_rss(dist, flags, "warehouse-migrate", "--schema", schema)
    load = ("warehouse-load", "--dataset", dataset, "--dt", DAY, "--schema", schema)
    mb, seconds, result = peak_rss(dist, flags, *load)
    psql(f"drop schema if exists {schema} cascade")
    return {"peak_rss_mb": round(mb, 1), "seconds": round(seconds, 1), "rows": result["counts"]["rows"]}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--before", type=Path, help="dist/ of another build to run beside (one-file layout)")
    a = p.parse_args(argv)
    work = ROOT / ".local" / "bench-memory"
    runs = []
    for parts in (True, False):
        layout = f"{-(-a.rows // CHUNK)} parts of <= {CHUNK:,} rows" if parts else "one file"
        dataset = f"bench-mem-{a.rows}-{'parts' if parts else 'one'}"
        say(f"silver: {a.rows:,} rows, {layout}")
        write_day(work / dataset, dataset, a.rows, parts)
        upload(work / dataset, dataset)
        builds = [("this commit", ROOT / "tasks" / "dist")]
        if a.before and not parts:
            builds.append(("before", a.before))
        for build, dist in builds:
            say(f"load ({build}, {layout})")
            got = measure(dist, dataset, flags=build == "this commit")
            say(f"  peak RSS {got['peak_rss_mb']} MB in {got['seconds']} s")
            runs.append({"build": build, "layout": layout, **got})
    write(a.rows, runs)
    return 0


def write(rows: int, runs: list[dict]) -> None:
    out = ROOT / "bench" / "results"
    (out / "warehouse-memory.json").write_text(json.dumps({"rows": rows, "runs": runs}, indent=2) + "\n")
    lines = [
        "# Warehouse load memory",
        "",
        f"Run by `make bench-warehouse-memory` on {platform.node()} ({os.cpu_count()} cores, shared).",
        f"One silver day of {rows:,} synthetic rows loaded by `warehouse-load` into a fresh schema;",
        "peak RSS = the load process's maximum resident set size (getrusage), seconds = the process.",
        "",
        "| build | silver layout | rows | peak RSS MB | seconds |",
        "|---|---|---|---|---|",
    ]
    for r in runs:
        cells = [r["build"], r["layout"], f"{r['rows']:,}", r["peak_rss_mb"], r["seconds"]]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    ours = [r["peak_rss_mb"] for r in runs if r["build"] == "this commit"]
    verdict = "met" if max(ours) < LIMIT_MB else "not met"
    target = f"Target: peak RSS < {LIMIT_MB} MB at {rows:,} rows."
    lines += ["", f"{target} Measured: {max(ours)} MB at most ({verdict})."]
    (out / "warehouse-memory.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
