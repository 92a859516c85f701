"""Glue cost estimate and the results files of bench-transform."""

import json
import os
import time

# AWS Glue pricing page (https://aws.amazon.com/glue/pricing/), us-east-1, Spark ETL jobs on Glue 2.0
# and later: $0.44 per DPU-hour, billed per second with a 1-minute minimum; a G.1X worker is 1 DPU
# and a Spark job needs at least 2 workers.
PRICE_PER_DPU_HOUR = 0.44
MIN_DPUS = 2
MIN_BILLED_SECONDS = 60


def glue_estimate(job_seconds: float, dpus: int = MIN_DPUS) -> dict:
    """Cost of one run if Glue took as long as local[2] did (an assumption: 2 G.1X workers have 8
    vCPUs to local[2]'s 2 cores, and Glue adds its own start-up of roughly 10-30 s)."""
    billed = max(MIN_BILLED_SECONDS, round(job_seconds))
    dpu_seconds = dpus * billed
    return {
        "dpus": dpus,
        "billed_seconds": billed,
        "dpu_seconds": dpu_seconds,
        "usd": round(dpu_seconds / 3600 * PRICE_PER_DPU_HOUR, 4),
    }


def write_results(folder: str, results: list, startup: dict, machine: dict, cds: bool) -> None:
    os.makedirs(folder, exist_ok=True)
    doc = {
        "bench": "transform",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine,
        "spark_startup_s": startup,
        "cds_archive": cds,
        "price_per_dpu_hour_usd": PRICE_PER_DPU_HOUR,
        "results": results,
    }
    with open(os.path.join(folder, "transform.json"), "w") as f:
        json.dump(doc, f, indent=2)
    lines = [
        "# bench-transform: Glue job on local Spark vs pandas",
        "",
        f"Measured {doc['measured_at']} by `make bench-transform` on {machine['cpus']} CPUs (load average at "
        f"the end {', '.join(f'{x:.1f}' for x in machine['load_avg_at_end'])}: the machine is shared, so "
        "absolute times are noisy; both peers ran in the same session, one after the other).",
        "Input: bronze NDJSON over 91 days, from files of the project's generator (`generate --seed 1`) "
        "turned into bronze by `glue/tools/bronze_from_csv.py`; both read the same files, apply the same "
        "rules and write silver + quarantine Parquet per date.",
        "",
        "| rows | spark wall (s) | pandas wall (s) | spark / pandas "
        "| spark: start-up / read+clean / write / publish (s) | outputs agree |",
        "|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        t = r["spark"]["timings"]
        ratio = r["spark"]["wall_s"] / r["pandas"]["wall_s"]
        lines.append(
            f"| {r['rows']:,} | {r['spark']['wall_s']} | {r['pandas']['wall_s']} | {ratio:.2f} | "
            f"{t['startup_s']} / {t['read_clean_s']} / {t['write_s']} / {t['publish_s']} "
            f"| {r['outputs_agree']} |"
        )
    lines += [
        "",
        "Spark's fixed cost (the same job on 1 day of 100 rows, whole spark-submit, median of "
        f"{len(startup['runs']['without_cds'])} alternating runs): {startup['with_cds']} s with the "
        f"class-data-sharing archive of `make setup`, {startup['without_cds']} s without it "
        f"(runs: {startup['runs']}). The JVM and Spark session take only the first figure of the start-up "
        "column; most of the fixed cost is the first execution of the job's plan (analysis, code "
        "generation, JIT warm-up), paid once per run, which is why a range of dates runs in one session.",
        "",
        "## Glue cost per run (estimate)",
        "",
        f"Price: ${PRICE_PER_DPU_HOUR} per DPU-hour, per-second billing with a 1-minute minimum, "
        "at least 2 DPUs (AWS Glue pricing page, us-east-1). Assumes the Glue run lasts as long as the "
        "local[2] run.",
        "",
        "| rows | billed seconds | DPU-seconds | USD per run |",
        "|---:|---:|---:|---:|",
    ]
    for r in results:
        g = r["glue"]
        lines.append(f"| {r['rows']:,} | {g['billed_seconds']} | {g['dpu_seconds']} | {g['usd']} |")
    with open(os.path.join(folder, "transform.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
