"""One run of the transform: every date of --dt..--to in one Spark session, one read of bronze, one
pass of the rules, two writes, then a per-date swap with its manifest."""

import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from pyspark import StorageLevel
from pyspark.sql import SparkSession

from . import reference
from .bronze import read_bronze
from .errors import InputRejected, NoBronzeError, SchemaDriftError
from .lake import BRONZE, Lake, partition
from .pipeline import clean, quarantine_rows, silver_rows
from .publish import MANIFEST_SCHEMA, drop_staging, publish_date, write_staging
from .summary import partition_stats

PROGRESS = "GLUE_TRANSFORM_PROGRESS"
SUMMARY = "GLUE_TRANSFORM_SUMMARY"
ERROR = "GLUE_TRANSFORM_ERROR"


@dataclass(frozen=True)
class JobOptions:
    dataset: str
    dt: str
    to: str
    lake_root: str
    run_id: str
    started_at: float = field(default_factory=time.time)

    def dates(self) -> list[str]:
        first, last = date.fromisoformat(self.dt), date.fromisoformat(self.to)
        if last < first:
            raise InputRejected(f"--to {self.to} is before --dt {self.dt}")
        return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def emit(kind: str, payload: dict) -> None:
    """One JSON line on stdout: the glue-transform step parses these (locally) and Glue keeps them
    in CloudWatch."""
    print(f"{kind} {json.dumps(payload, sort_keys=True)}", flush=True)


def _zero() -> dict:
    return {
        "bronze_rows": 0,
        "redelivered_rows": 0,
        "duplicate_rows": 0,
        "quarantined_rows": 0,
        "silver_rows": 0,
    }


def run(spark: SparkSession, opts: JobOptions) -> dict:
    """Runs the transform and returns the summary (also emitted as one line).

    Raises NoBronzeError when no requested date has bronze, SchemaDriftError naming the columns of
    every drifting partition; nothing is written in either case.
    """
    t0 = time.time()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    ref = reference.load()
    lake = Lake(spark, opts.lake_root)
    dates = opts.dates()
    present = [d for d in dates if lake.has_files(partition(BRONZE, opts.dataset, d))]
    absent = [d for d in dates if d not in present]
    emit(
        PROGRESS,
        {"phase": "plan", "dates": len(dates), "with_bronze": len(present), "without_bronze": absent},
    )
    if not present:
        raise NoBronzeError(
            f"no bronze under {lake.uri(partition(BRONZE, opts.dataset, '*'))} for {opts.dt}..{opts.to}"
        )

    bronze = read_bronze(spark, [lake.uri(partition(BRONZE, opts.dataset, d)) for d in present])
    # The one shuffle of the run: every later step (both windows, the per-date writes) needs rows
    # clustered by (dataset, dt) and finds them so.
    bronze = bronze.repartition(max(1, min(len(present), 64)), "dataset", "dt")
    cleaned = clean(bronze, ref).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        stats, problems = partition_stats(cleaned)
        if problems:
            raise SchemaDriftError.combine(problems)
        silver, quarantine = silver_rows(cleaned), quarantine_rows(cleaned)
        t_clean = time.time()
        emit(
            PROGRESS,
            {
                "phase": "cleaned",
                "rows": sum(s["bronze_rows"] for s in stats.values()),
                "seconds": round(t_clean - t0, 1),
            },
        )
        write_staging(silver, quarantine, lake, opts.run_id)
        t_write = time.time()
        emit(PROGRESS, {"phase": "written", "seconds": round(t_write - t_clean, 1)})
    finally:
        cleaned.unpersist()

    manifests = {}
    for d in present:
        base = {"schema": MANIFEST_SCHEMA, "dataset": opts.dataset, "dt": d, "run_id": opts.run_id}
        manifest = {**base, **stats.get(d, _zero()), "reference_sha256": ref.sha256}
        manifests[d] = publish_date(lake, opts.run_id, opts.dataset, d, manifest)
        emit(PROGRESS, {"phase": "published", "dt": d, "silver_rows": manifest["silver_rows"]})
    drop_staging(lake, opts.run_id)
    t_end = time.time()
    summary = {
        "run_id": opts.run_id,
        "dataset": opts.dataset,
        "dates": present,
        "dates_without_bronze": absent,
        "manifests": manifests,
        "timings": {
            "startup_s": round(t0 - opts.started_at, 2),
            "read_clean_s": round(t_clean - t0, 2),
            "write_s": round(t_write - t_clean, 2),
            "publish_s": round(t_end - t_write, 2),
            "total_s": round(t_end - opts.started_at, 2),
        },
    }
    emit(SUMMARY, summary)
    return summary


def fail(error: BaseException) -> None:
    """Reports an error as one line (the step reads it) and to stderr."""
    emit(
        ERROR,
        {"error": type(error).__name__, "message": str(error), "rejected": isinstance(error, InputRejected)},
    )
    print(str(error), file=sys.stderr, flush=True)
