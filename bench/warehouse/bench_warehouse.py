"""make bench-warehouse: the warehouse load and the analysis queries, each beside its peer in one run.

1. Load rows/s of `warehouse-load` (COPY FROM STDIN) against the same step writing its rows with multi-row
   INSERT statements (`--stage-method insert`, 1,000 lines a statement, bound parameters), and
   against a bare COPY of the same finished rows into an unindexed table (the physical limit; text and
   binary, the faster is the yardstick), on
   synthetic silver of 128,975 and 1,000,000 rows in one day, then 128,975 rows over the 91 days
   of the real data (2022-03-31..2022-06-29), one transaction per day, as a history load runs.
   Wall time, CPU of the step's Node process and CPU of the PostgreSQL server are measured apart
   (the machine's cores are shared), and the step's per-step timings say where the time goes.
2. The analysis queries of sql/analysis/ at 10M rows: the partitioned and indexed fact against an
   unpartitioned, unindexed copy of the same rows.
Results: bench/results/warehouse.md and .json. Timings vary with the machine's load: compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "sql"))
sys.path.insert(0, str(Path(__file__).parent))
import silver_synthetic  # noqa: E402
from queries import COLUMNS, QUERIES, build_ten_million, time_queries  # noqa: E402
from report import write  # noqa: E402
from sqlshell import literal, psql  # noqa: E402
from warehouse_check import (  # noqa: E402
    bare_copy_differences,
    differences,
    fact_checksum_sql,
    median_run,
    parse,
)

BUCKET = "bench-warehouse"
FIRST, LAST = "2022-03-31", "2022-06-29"  # the 91 days of the real data
DAY = "2022-04-30"
SIZES = [128_975, 1_000_000]


def say(msg: str) -> None:
    print(f"[bench-warehouse] {msg}", flush=True)


def cli(*args: str) -> dict:
    """Runs one step of the task program against the bench bucket; returns its result JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json") as xcom:
        # WAREHOUSE_LOAD_PROFILE: the step also records the server's CPU per step (local stack only).
        env = {**os.environ, "S3_BUCKET": BUCKET, "LOG_LEVEL": "warn", "WAREHOUSE_LOAD_PROFILE": "1"}
        run = subprocess.run(
            ["node", str(ROOT / "tasks/dist/cli.js"), *args, "--xcom-path", xcom.name],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        result = json.loads(Path(xcom.name).read_text())
    if run.returncode != 0:
        raise SystemExit(
            f"{' '.join(args)} failed ({run.returncode}): {result.get('error')}\n{run.stderr[-2000:]}"
        )
    return result


def bench_s3():
    """An S3 client for the local store, with the bench bucket created if missing."""
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT"],
        region_name=os.environ.get("S3_REGION", "us-east-1"),
        aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
    )
    if BUCKET not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=BUCKET)
    return s3


def silver(rows: int, first: str, last: str) -> str:
    """Synthetic silver of `rows` lines spread over first..last, uploaded to the bench bucket."""
    dataset = f"bench-wh-{rows}-{'day' if first == last else 'days'}"
    s3 = bench_s3()
    with tempfile.TemporaryDirectory() as tmp:
        silver_synthetic.main(
            [
                "synthetic",
                "--out",
                tmp,
                "--dataset",
                dataset,
                "--from",
                first,
                "--to",
                last,
                "--rows",
                str(rows),
                "--seed",
                str(rows),
            ]
        )
        for path in sorted(Path(tmp).rglob("*")):
            if path.is_file():
                key = f"lake/silver/order_lines/dataset={dataset}/{path.relative_to(tmp).as_posix()}"
                s3.upload_file(str(path), BUCKET, key)
    return dataset


def fresh_schema(schema: str) -> None:
    psql(f"drop schema if exists {schema} cascade")
    cli("warehouse-migrate", "--schema", schema)


def server_cpu() -> float | None:
    """CPU seconds the local PostgreSQL has used: the postmaster, its finished children (each
    connection's backend ends with its client) and its live ones. None when it cannot be seen."""
    try:
        pid = int((ROOT / ".local/postgres/data/postmaster.pid").read_text().split()[0])
    except (OSError, ValueError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(proc.name) == pid:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        elif int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def steps(per: list[dict]) -> dict:
    """Milliseconds per step over all dates: wall, and the server's CPU where the step measured it."""
    groups = {
        "decode": ["decode"],
        "encode": ["encode"],
        "stage": ["stage"],
        "members": ["members"],
        "dimensions": [f"dimension{i}" for i in range(8)] + ["keys"],
        "publish": ["count", "publish"],
        "reconcile": ["reconcile"],
        "commit": ["commit"],
    }
    out = {}
    for name, keys in groups.items():
        out[name] = sum(d["timings"].get(k, 0) for d in per for k in keys)
        cpu = [d["timings"].get(f"{k}ServerCpu") for d in per for k in keys]
        if name not in ("decode", "encode") and any(c is not None for c in cpu):
            out[f"{name}_server_cpu"] = sum(c or 0 for c in cpu)
    return out


def bare_copy(schema: str, dataset: str) -> dict:
    """The physical limit: the rows the load left, exported by psql, COPYed by psql into a new table
    with no index (created in the same transaction, as the load's), timed from psql's start. In both
    formats: binary is what the step sends PostgreSQL, text what it sends Redshift; the faster one
    (binary, the server parsing no text) is the yardstick."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        for fmt in ("text", "binary"):
            rows = Path(tmp) / f"rows.{fmt}"
            psql(
                f"\\copy (select {COLUMNS} from {schema}.fact_order_lines "
                f"where dataset = {literal(dataset)}) to '{rows}' with (format {fmt})"
            )
            started = time.perf_counter()
            psql(
                f"begin;\ncreate table {schema}.bare_copy (like {schema}.fact_order_lines);\n"
                f"\\copy {schema}.bare_copy ({COLUMNS}) from '{rows}' with (format {fmt}, freeze)\ncommit;"
            )
            seconds = time.perf_counter() - started
            n = int(psql(f"select count(*) from {schema}.bare_copy").strip())
            psql(f"drop table {schema}.bare_copy")
            rows.unlink()
            out[fmt] = {"rows": n, "seconds": round(seconds, 2), "rows_per_s": round(n / seconds)}
    fastest = max(out, key=lambda f: out[f]["rows_per_s"])
    return {**out[fastest], "format": fastest, **out}


def load(schema: str, dataset: str, method: str, first: str, last: str) -> dict:
    fresh_schema(schema)
    load_before = os.getloadavg()[0]
    children, server = resource.getrusage(resource.RUSAGE_CHILDREN), server_cpu()
    started = time.perf_counter()
    result = cli(
        "warehouse-load",
        "--dt",
        first,
        "--to",
        last,
        "--dataset",
        dataset,
        "--schema",
        schema,
        "--stage-method",
        method,
    )
    process = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = server_cpu()
    fact = parse(psql(fact_checksum_sql(schema)))
    per = list(result["details"]["perDate"].values())
    # The load itself: every day's read of silver and transaction, without the process start.
    seconds = sum(d["ms"] for d in per) / 1000
    stage = sum(d["timings"].get("stage", 0) for d in per) / 1000
    rows = result["counts"]["rows"]
    return {
        "method": method,
        "rows": rows,
        "dates": len(per),
        "seconds": round(seconds, 2),
        "process_seconds": round(process, 2),
        "rows_per_s": round(rows / seconds),
        "stage_rows_per_s": round(rows / stage) if stage else None,
        # The Node process (the step, every thread) and the server, apart: other work shares the cores.
        "node_cpu_seconds": round(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime, 2),
        "server_cpu_seconds": None if None in (server, server_after) else round(server_after - server, 2),
        # The machine is shared: its load average (1 min) before and after says how far to trust wall time.
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "stage_seconds": round(stage, 2),
        "merge_and_reconcile_seconds": round(seconds - stage, 2),
        "steps_ms": steps(per),
        "fact": fact,
        **({"bare_copy": bare_copy(schema, dataset)} if method == "copy" else {}),
    }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="silver rows of each load run")
    p.add_argument("--copies", type=int, default=10, help="copies of the largest load in the query fact")
    p.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="COPY loads (each with its bare COPY) of each one-day size; the median share is reported",
    )
    p.add_argument("--report-only", action="store_true", help="rewrite warehouse.md from warehouse.json")
    p.add_argument(
        "--queries-only",
        action="store_true",
        help="keep the loads of warehouse.json, redo the 10M-row queries",
    )
    p.add_argument(
        "--loads-only",
        action="store_true",
        help="redo the loads, keep the 10M-row queries of warehouse.json",
    )
    a = p.parse_args(argv)
    previous = ROOT / "bench" / "results" / "warehouse.json"
    if a.report_only:
        write(json.loads(previous.read_text()))
        return 0
    sizes = [int(x) for x in a.sizes.split(",")]
    report: dict = {
        "machine": f"{platform.node()} ({os.cpu_count()} cores, shared)",
        "loads": [],
        "queries": {},
    }
    started = time.perf_counter()
    # Read first: the loads below rewrite warehouse.json as soon as they are measured.
    kept = json.loads(previous.read_text()) if a.loads_only else {}
    if a.queries_only:
        report["loads"] = json.loads(previous.read_text())["loads"]
    else:
        # Throughput: each size in one partition. Then the real shape: the first size over 91 days.
        runs = [(rows, DAY, DAY, "bench") for rows in sizes] + [(sizes[0], FIRST, LAST, "bench_history")]
        for rows, first, last, prefix in runs:
            say(f"silver: {rows:,} rows over {first}..{last}")
            dataset = silver(rows, first, last)
            for method in ("copy", "insert"):
                # The machine is shared and both the load and the bare COPY move by 10-15 % from run
                # to run: a one-day COPY load is paired with its bare COPY several times.
                n = max(1, a.repeat) if method == "copy" and first == last else 1
                measured = []
                for i in range(n):
                    say(f"load {rows:,} rows with {method}" + (f" ({i + 1} of {n})" if n > 1 else ""))
                    result = load(f"{prefix}_{method}", dataset, method, first, last)
                    measured.append({"layout": f"{first}..{last}", **result})
                    say(f"  {measured[-1]}")
                # Every repeat must have loaded the same fact, beside a bare COPY of all its rows.
                for other in measured[1:]:
                    if differences(measured[0], other):
                        raise SystemExit(f"repeated COPY loads differ: {differences(measured[0], other)}")
                for run in measured:
                    if method == "copy" and bare_copy_differences(run):
                        raise SystemExit(f"the bare COPY is no yardstick: {bare_copy_differences(run)}")
                report["loads"].append(median_run(measured))
            # Speed means nothing unless both loads left the same fact table (warehouse_check.py).
            copy_load, insert_load = report["loads"][-2:]
            insert_load["differs_from_copy"] = differences(copy_load, insert_load)
            if insert_load["differs_from_copy"]:
                raise SystemExit(f"COPY and INSERT loads differ: {insert_load['differs_from_copy']}")
        # Kept at once: a failure in the query part must not lose the load measurements.
        previous.parent.mkdir(parents=True, exist_ok=True)
        previous.write_text(json.dumps(report, indent=2) + "\n")
    if a.loads_only:
        report["ten_million"], report["queries"] = kept["ten_million"], kept["queries"]
    else:
        say("10M-row fact: partitioned+indexed vs plain")
        source = f"bench-wh-{sizes[-1]}-day"
        report["ten_million"] = build_ten_million("bench_copy", "bench_plain", source, a.copies)
        report["queries"] = time_queries("bench_copy", "bench_plain")
    report["seconds"] = round(time.perf_counter() - started)
    if a.queries_only:
        report["note"] = "loads from an earlier run (same code); queries rerun with --queries-only"
    if a.loads_only:
        report["note"] = "queries from an earlier run; loads rerun with --loads-only"
    write(report)
    return 0


if __name__ == "__main__":
    assert QUERIES
    sys.exit(main(sys.argv[1:]))
