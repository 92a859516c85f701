"""Ingest benchmark: ingest-raw, stream-produce and stream-land on generated files, side by side with
Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance, i.e.
kafka-producer-perf-test) on the same broker, with the same records.

Every run works in its own bucket and topics (deleted afterwards), so it neither reads nor leaves
data in the stack's. Rows/s are wall-clock rows per second of the whole command (start-up
included); peak RSS is the process's maximum resident set (GNU time's %M). Results:
bench/results/ingest.json and ingest.md.

    .venv/bin/python bench/ingest/run.py [--sizes "128975 1000000"] [--seed 1]   (or SIZES=... in the env)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import time
from pathlib import Path

import boto3
from ingest_check import differences
from report import write_reports

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "tasks" / "dist" / "cli.js"
SCRATCH = ROOT / ".local" / "bench" / "ingest"
KAFKA_VERSION_POM = ROOT / "stack" / "kafka" / "pom.xml"
# stream-produce and the perf test compress alike: gzip at this level (stream-produce's default).
GZIP_LEVEL = 1


def load_env() -> dict[str, str]:
    env = dict(os.environ)
    for line in (ROOT / ".local" / "env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env.setdefault(key, value)
    return env


ENV = load_env()


def kafka_classpath() -> str:
    version = KAFKA_VERSION_POM.read_text().split("<kafka.version>")[1].split("<")[0]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sales-pipeline"
    return f"{cache}/kafka-{version}/libs/*"


def java(main: str, *args: str) -> str:
    log4j = ROOT / "stack" / "kafka" / "log4j2-tools.properties"
    cmd = ["java", "-Xmx256m", f"-Dlog4j2.configurationFile={log4j}", "-cp", kafka_classpath(), main, *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def topics(verb: str, name: str, partitions: int = 3) -> None:
    extra = ["--partitions", str(partitions), "--replication-factor", "1"] if verb == "--create" else []
    java(
        "org.apache.kafka.tools.TopicCommand",
        "--bootstrap-server",
        ENV["KAFKA_BROKERS"],
        verb,
        "--topic",
        name,
        *extra,
    )


def timed(name: str, args: list[str], bucket: str) -> dict:
    """Runs one CLI step under GNU time; returns wall seconds, peak RSS and the step's result JSON."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    xcom, timing = SCRATCH / f"{name}.json", SCRATCH / f"{name}.time"
    env = {**ENV, "S3_BUCKET": bucket, "LOG_LEVEL": "warn"}
    load = os.getloadavg()[0]
    started = time.monotonic()
    cmd = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(timing), "node", str(CLI), *args]
    subprocess.run([*cmd, "--xcom-path", str(xcom)], check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - started
    _, rss_kb, user, system = timing.read_text().split()[-4:]
    result = json.loads(xcom.read_text()) if xcom.exists() else {}
    return {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(int(rss_kb) / 1024, 1),
        "cpu_seconds": round(float(user) + float(system), 2),
        "load_average": round(load, 2),
        "result": {k: result.get(k) for k in ("status", "counts", "details")},
    }


def payload_file(s3, bucket: str, dataset: str, limit: int = 20_000) -> tuple[Path, float]:
    """Real event values (bronze lines minus the Kafka position) for the perf test's --payload-file."""
    lines: list[str] = []
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"lake/bronze/order_lines/dataset={dataset}/"
    )
    for page in pages:
        for obj in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode()
            for line in body.splitlines():
                lines.append(line[: line.rindex(',"kafka":')] + "}")
            if len(lines) >= limit:
                break
        if len(lines) >= limit:
            break
    path = SCRATCH / "payloads.ndjson"
    path.write_text("\n".join(lines[:limit]) + "\n")
    return path, sum(len(x.encode()) for x in lines[:limit]) / max(1, min(limit, len(lines)))


def perf_test(topic: str, records: int, payloads: Path) -> dict:
    props = [
        f"bootstrap.servers={ENV['KAFKA_BROKERS']}",
        "acks=all",
        "enable.idempotence=true",
        "compression.type=gzip",
        f"compression.gzip.level={GZIP_LEVEL}",
        "batch.size=786432",
        "linger.ms=10",
    ]
    load = os.getloadavg()[0]
    started = time.monotonic()
    out = java(
        "org.apache.kafka.tools.ProducerPerformance",
        *("--topic", topic, "--num-records", str(records), "--throughput", "-1"),
        *("--payload-file", str(payloads), "--producer-props", *props),
    )
    wall = time.monotonic() - started
    last = [x for x in out.splitlines() if "records sent" in x][-1]
    return {
        "records_per_sec": float(last.split("records sent, ")[1].split(" records/sec")[0]),
        "summary": last.strip(),
        "seconds": round(wall, 2),
        "load_average": round(load, 2),
        "settings": props[1:],
    }


def bench_size(rows: int, seed: int, run_id: str, s3) -> dict:
    data = ROOT / ".local" / "data" / f"amazon_sale_report_synthetic_seed{seed}_{rows}.csv"
    out: dict = {"rows": rows, "file": str(data.relative_to(ROOT))}
    bucket, dataset = f"bench-ingest-{run_id}-{rows}", f"bench-{run_id}-{rows}"
    topic, dlq, perf = (f"bench.{kind}.{run_id}.{rows}" for kind in ("order_lines", "dlq", "perf"))
    s3.create_bucket(Bucket=bucket)
    topics("--create", topic)
    topics("--create", dlq, 1)
    topics("--create", perf)
    try:
        if not data.exists():
            generate = ["generate", "--rows", str(rows), "--seed", str(seed)]
            out["generate"] = timed("generate", generate, bucket)
        out["file_bytes"] = data.stat().st_size
        src = ["--dataset", dataset]
        raw = ["ingest-raw", "--dt", "2022-06-30", "--source", str(data), *src]
        out["ingest_raw"] = timed("ingest-raw", raw, bucket)
        produce = ["stream-produce", "--dt", "2022-03-31", "--to", "2022-06-29", *src, "--topic", topic]
        produce += ["--gzip-level", str(GZIP_LEVEL)]
        out["stream_produce"] = timed("stream-produce", [*produce, "--dlq-topic", dlq], bucket)
        land = ["stream-land", "--group", f"bench-{run_id}-{rows}", "--topic", topic]
        out["stream_land"] = timed("stream-land", land, bucket)
        payloads, size = payload_file(s3, bucket, dataset)
        out["record_bytes"] = round(size)
        out["perf_test"] = perf_test(perf, rows, payloads)
    finally:
        for name in (topic, dlq, perf):
            topics("--delete", name)
        bucket_api = boto3.resource("s3", **s3_args()).Bucket(bucket)
        bucket_api.objects.all().delete()
        bucket_api.delete()
    return out


def s3_args() -> dict:
    return {
        "endpoint_url": ENV["S3_ENDPOINT"],
        "region_name": ENV.get("S3_REGION", "us-east-1"),
        "aws_access_key_id": ENV["S3_ACCESS_KEY_ID"],
        "aws_secret_access_key": ENV["S3_SECRET_ACCESS_KEY"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sizes = os.environ.get("SIZES", "128975 1000000")
    parser.add_argument("--sizes", default=sizes, help="row counts, space or comma separated")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not CLI.exists():
        raise SystemExit(f"{CLI} is missing: run `make build` first")
    s3 = boto3.client("s3", **s3_args())
    run_id = time.strftime("%Y%m%d%H%M%S")
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "node": shutil.which("node")}
    runs = []
    for rows in (int(x) for x in args.sizes.replace(",", " ").split()):
        print(f"[bench-ingest] {rows:,} rows", flush=True)
        runs.append(bench_size(rows, args.seed, run_id, s3))
        # Speed means nothing unless every side carried every record (bench/ingest/ingest_check.py).
        runs[-1]["outputs_differ"] = differences(runs[-1])
    write_reports({"run_id": run_id, "machine": machine, "runs": runs}, ROOT / "bench" / "results")
    if any(r["outputs_differ"] for r in runs):
        raise SystemExit(f"record counts differ: {[r['outputs_differ'] for r in runs]}")


if __name__ == "__main__":
    main()
