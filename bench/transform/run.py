"""make bench-transform: the Glue job on local Spark vs the pandas peer, same bronze input, in one run.

For each size (SIZES, default 128975 and 1000000 rows) a bronze fixture is made once under
.local/bench/transform/: the project's generator (`sales-pipeline generate --seed 1`, the original
CSV format over the full file's 91 days) writes the source file, and glue/tools/bronze_from_csv.py
turns it into the bronze NDJSON that stream-land would land (without Kafka, which bench-ingest
measures). Then both peers run over the whole date range, each in its own process:
  spark  : spark-submit glue/jobs/clean_order_lines.py, local[2], file:// lake, one session for all dates
  pandas : .venv-bench python bench/transform/pandas_clean.py (bench/transform/pandas_rules.py)
Both outputs are compared (rows and realised amount per date must agree). Spark's fixed start-up
cost is the same job on a 1-day, 100-row fixture, with and without the class-data-sharing archive.
Results: bench/results/transform.md and .json. Timings are wall clock of the whole process.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, ".local", "bench", "transform")
FIRST, LAST = "2022-03-31", "2022-06-29"
DATASET = "bench"
STARTUP_PAIRS = 2
sys.path.insert(0, os.path.dirname(__file__))

from report import glue_estimate, write_results  # noqa: E402
from transform_check import differences  # noqa: E402


def fixture(rows: int, first: str = FIRST, last: str = LAST) -> str:
    lake = os.path.join(WORK, f"lake-{rows}-{first}-{last}")
    stamp = os.path.join(lake, ".done")
    if os.path.exists(stamp):
        return lake
    shutil.rmtree(lake, ignore_errors=True)
    os.makedirs(lake)
    source = os.path.join(WORK, f"source-seed1-{rows}-{first}-{last}.csv")
    print(f"[bench] generating {rows:,} rows ({first}..{last}) and their bronze into {lake}", flush=True)
    generate = [
        "node",
        os.path.join(ROOT, "tasks/dist/cli.js"),
        "generate",
        "--rows",
        str(rows),
        "--seed",
        "1",
    ]
    generate += [
        "--from",
        first,
        "--to",
        last,
        "--out",
        source,
        "--xcom-path",
        os.path.join(WORK, "generate.json"),
    ]
    subprocess.run([*generate, "--log-level", "warn"], check=True, stdout=subprocess.DEVNULL)
    bronze = [sys.executable, os.path.join(ROOT, "glue/tools/bronze_from_csv.py"), "--source", source]
    subprocess.run([*bronze, "--lake", lake, "--dataset", DATASET], check=True, stdout=subprocess.DEVNULL)
    os.remove(source)
    open(stamp, "w").close()
    return lake


def cds_archive() -> str | None:
    out = subprocess.run(
        ["bash", os.path.join(ROOT, "stack/spark.sh"), "env"], capture_output=True, text=True
    )
    return next((line[4:] for line in out.stdout.splitlines() if line.startswith("CDS=") and line[4:]), None)


def run_spark(lake: str, to: str, cds: str | None, memory: str = "4g") -> dict:
    venv = os.path.join(ROOT, ".venv", "bin")
    java_opts = f"-Dlog4j2.configurationFile=file:{ROOT}/stack/spark/log4j2.properties"
    if cds:
        java_opts += f" -XX:SharedArchiveFile={cds} -Xshare:auto"
    cmd = [f"{venv}/spark-submit", "--master", "local[2]", "--driver-memory", memory]
    cmd += ["--conf", "spark.ui.enabled=false", "--conf", "spark.driver.bindAddress=127.0.0.1"]
    cmd += ["--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.sql.shuffle.partitions=8"]
    cmd += ["--driver-java-options", java_opts, "clean_order_lines.py", "--dataset", DATASET, "--dt", FIRST]
    cmd += ["--to", to, "--lake_root", f"file://{lake}", "--run_id", f"bench-{int(time.time())}"]
    env = {**os.environ, "PATH": f"{venv}:{os.environ['PATH']}", "PYSPARK_PYTHON": f"{venv}/python"}
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    t = time.time()
    out = subprocess.run(cmd, cwd=os.path.join(ROOT, "glue/jobs"), env=env, capture_output=True, text=True)
    wall = time.time() - t
    line = next((x for x in out.stdout.splitlines() if x.startswith("GLUE_TRANSFORM_SUMMARY ")), None)
    if out.returncode != 0 or not line:
        raise SystemExit(f"spark run failed ({out.returncode}):\n{out.stderr[-3000:]}")
    summary = json.loads(line.split(" ", 1)[1])
    counts = {
        d: {k: m[k] for k in ("bronze_rows", "silver_rows", "silver_realised_sum")}
        for d, m in summary["manifests"].items()
    }
    return {"wall_s": round(wall, 1), "timings": summary["timings"], "counts": counts}


def run_pandas(lake: str, out: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        os.path.join(ROOT, ".venv-bench/bin/python"),
        os.path.join(ROOT, "bench/transform/pandas_clean.py"),
    ]
    cmd += ["--lake", lake, "--dataset", DATASET, "--dt", FIRST, "--to", LAST, "--out", out]
    t = time.time()
    res = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t
    if res.returncode != 0:
        raise SystemExit(f"pandas run failed:\n{res.stderr[-3000:]}")
    report = json.loads(res.stdout.strip().splitlines()[-1])
    return {"wall_s": round(wall, 1), "timings": report["timings"], "counts": report["counts"]}


def agree(spark: dict, pandas: dict) -> bool:
    found = differences(spark["counts"], pandas["counts"])
    for line in found:
        print(f"[bench] MISMATCH {line}")
    return not found


def main() -> None:
    sizes = [int(s) for s in os.environ.get("SIZES", "128975 1000000").split()]
    os.makedirs(WORK, exist_ok=True)
    cds = cds_archive()
    tiny = fixture(100, FIRST, FIRST)
    # Alternating pairs, so a change in the machine's load hits both variants alike.
    runs = {"with_cds": [], "without_cds": []}
    for _ in range(STARTUP_PAIRS):
        if cds:
            runs["with_cds"].append(run_spark(tiny, FIRST, cds)["wall_s"])
        runs["without_cds"].append(run_spark(tiny, FIRST, None)["wall_s"])
    startup = {k: (round(statistics.median(v), 1) if v else None) for k, v in runs.items()}
    startup["runs"] = runs
    print(f"[bench] spark fixed start-up (1 day, 100 rows): {startup}", flush=True)
    results = []
    for rows in sizes:
        lake = fixture(rows)
        spark = run_spark(lake, LAST, cds)
        print(f"[bench] {rows:,} rows spark: {spark['wall_s']} s {spark['timings']}", flush=True)
        pandas = run_pandas(lake, os.path.join(WORK, f"pandas-out-{rows}"))
        print(f"[bench] {rows:,} rows pandas: {pandas['wall_s']} s {pandas['timings']}", flush=True)
        ok = agree(spark, pandas)
        results.append(
            {
                "rows": rows,
                "spark": spark,
                "pandas": pandas,
                "outputs_agree": ok,
                "glue": glue_estimate(spark["wall_s"]),
            }
        )
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_at_end": os.getloadavg(),
    }
    write_results(os.path.join(ROOT, "bench", "results"), results, startup, machine, cds is not None)
    if not all(r["outputs_agree"] for r in results):
        raise SystemExit("spark and pandas outputs differ (see above)")


if __name__ == "__main__":
    main()
