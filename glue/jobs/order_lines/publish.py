"""Writing silver and quarantine so that each dt partition is replaced as a unit.

1. Spark writes every date of the run under a run-scoped staging prefix
   (lake/_staging/order_lines/run_id=<run>/{silver,quarantine}/_part_dt=<d>/), its rows sorted by
   key in files of at most MAX_ROWS_PER_FILE rows (part-...-c000, -c001, ... in key order), so a
   re-run writes the same rows in the same files and a big day is several parts.
2. Per date, the new files are moved into lake/{silver,quarantine}/order_lines/dataset=<id>/dt=<d>/
   beside the old ones (names carry Spark's write id, so they never collide).
3. `_manifest.json` is written in one PUT: it is the commit point and names the partition's files.
4. Files of the partition that the manifest does not name (the previous run's) are deleted.

A reader that follows the manifest never sees a mix; a crash between 2 and 4 leaves files that the
next run of the date deletes. No appends, no bookmarks.
"""

import json

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .lake import MANIFEST, QUARANTINE, SILVER, STAGING, Lake, partition

MANIFEST_SCHEMA = "sales-pipeline.silver-manifest.v1"
# Rows per Parquet file: a date beyond this becomes several files (readers follow the manifest).
MAX_ROWS_PER_FILE = 1_000_000
# Parquet row-group size in bytes (~90k silver rows): warehouse-load decodes one row group at a
# time, so this bounds its memory (bench/results/warehouse-memory.md).
ROW_GROUP_BYTES = 4 * 1024 * 1024


def staging_prefix(run_id: str) -> str:
    return f"{STAGING}/run_id={run_id}"


def write_staging(silver: DataFrame, quarantine: DataFrame, lake: Lake, run_id: str) -> None:
    """Two Spark writes (silver, quarantine), rows sorted by their key. The rows are already
    clustered by (dataset, dt) (job.py), so no shuffle happens here and every date is written by
    one task, which starts a new file every MAX_ROWS_PER_FILE rows."""
    outputs = (
        (silver, "silver", ("order_id", "sku")),
        (
            quarantine,
            "quarantine",
            ("source_uri", "source_row", "kafka_partition", "kafka_offset", "bronze_line"),
        ),
    )
    for df, name, order in outputs:
        (
            df.withColumn("_part_dt", F.col("dt").cast("string"))
            .sortWithinPartitions("_part_dt", *order)
            .write.mode("overwrite")
            .option("compression", "snappy")
            .option("maxRecordsPerFile", MAX_ROWS_PER_FILE)
            .option("parquet.block.size", ROW_GROUP_BYTES)
            .partitionBy("_part_dt")
            .parquet(lake.uri(f"{staging_prefix(run_id)}/{name}"))
        )


def _parquet(files):
    return [f for f in files if f.key.endswith(".parquet")]


def publish_date(lake: Lake, run_id: str, dataset: str, dt: str, manifest: dict) -> dict:
    """Moves one date's staged files into place, writes its manifest, removes the previous files.
    Returns the manifest as written."""
    moved: dict[str, list] = {}
    for name, prefix in (("quarantine", QUARANTINE), ("silver", SILVER)):
        target = partition(prefix, dataset, dt)
        staged = _parquet(lake.list_files(f"{staging_prefix(run_id)}/{name}/_part_dt={dt}"))
        moved[name] = []
        for f in staged:
            key = f"{target}/{f.key.rsplit('/', 1)[1]}"
            lake.move(f.key, key)
            moved[name].append({"key": key, "bytes": f.bytes})
    manifest = {
        **manifest,
        "files": [f["key"] for f in moved["silver"]],
        "file_bytes": {f["key"]: f["bytes"] for f in moved["silver"]},
        "quarantine_files": [f["key"] for f in moved["quarantine"]],
    }
    silver_dir = partition(SILVER, dataset, dt)
    lake.write_text(f"{silver_dir}/{MANIFEST}", json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    keep = set(manifest["files"]) | set(manifest["quarantine_files"]) | {f"{silver_dir}/{MANIFEST}"}
    for prefix in (SILVER, QUARANTINE):
        for f in lake.list_files(partition(prefix, dataset, dt)):
            if f.key not in keep:
                lake.delete(f.key)
    return manifest


def drop_staging(lake: Lake, run_id: str) -> None:
    lake.delete(staging_prefix(run_id), recursive=True)
