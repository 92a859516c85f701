"""Reading bronze: NDJSON lines under lake/bronze/order_lines/dataset=<id>/dt=<d>/, one event each.

Lines are read as text and parsed with an explicit schema (every source field a string), so the
original line travels along for quarantine. The keys of every line are compared with the event
contract per line (`_key_problems`); summary.partition_stats turns them into the error that names
the columns of a drifting partition.
"""

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from .columns import BRONZE_EVENT, EVENT_KEYS, LINE_FIELDS
from .marks import VIOLATIONS_COL, violation, with_marks
from .rules.headers import normalise_headers

_NUMBER = r"^[0-9]{1,18}$"


def _prefixed(keys: Column, path: str) -> Column:
    if not path:
        return keys
    return F.transform(keys, lambda k: F.concat(F.lit(f"{path}."), k))


def _key_problems(line: Column) -> Column:
    """Per line: the keys missing from, and unexpected in, each object of the event, as
    `line.qty`-style paths."""
    missing, unexpected = [], []
    for path, expected in EVENT_KEYS.items():
        obj = line if path == "" else F.get_json_object(line, f"$.{path}")
        found = F.coalesce(F.json_object_keys(obj), F.array().cast("array<string>"))
        want = F.array(*[F.lit(k) for k in expected])
        missing.append(_prefixed(F.array_except(want, found), path))
        unexpected.append(_prefixed(F.array_except(found, want), path))
    return F.struct(F.concat(*missing).alias("missing"), F.concat(*unexpected).alias("unexpected"))


def _path_date(text: Column) -> Column:
    # try_ and nullif: a path without a date gives null, never a failed cast under ANSI mode.
    return F.to_date(F.try_to_timestamp(F.nullif(text, F.lit("")), F.lit("yyyy-MM-dd")))


def _number(col: str, kind: str) -> Column:
    return F.when(F.col(col).rlike(_NUMBER), F.col(col).cast(kind))


def read_bronze(spark: SparkSession, paths: list[str]) -> DataFrame:
    """One row per non-blank bronze line: the event flattened (line fields through rule 1's header
    check), its source and Kafka position, the line text and `_key_problems`. A line that is not
    a JSON object, or whose dataset/order date differ from its partition, gets a violation."""
    text = spark.read.text(paths).select(
        F.col("value").alias("bronze_line"), F.col("_metadata.file_path").alias("bronze_file")
    )
    text = text.where(F.trim("bronze_line") != "")
    df = text.select(
        "bronze_line",
        F.regexp_extract("bronze_file", r"/dataset=([^/]+)/", 1).alias("_path_dataset"),
        _path_date(F.regexp_extract("bronze_file", r"/dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/", 1)).alias("dt"),
        F.from_json("bronze_line", BRONZE_EVENT).alias("_event"),
        F.json_object_keys("bronze_line").isNull().alias("_unparsed"),
        _key_problems(F.col("bronze_line")).alias("_key_problems"),
    )
    meta = df.select(
        "bronze_line",
        "dt",
        "_unparsed",
        "_key_problems",
        "_path_dataset",
        F.col("_event.schema").alias("_schema"),
        F.coalesce(F.col("_event.dataset"), F.col("_path_dataset")).alias("dataset"),
        F.col("_event.order_date").alias("_event_order_date"),
        F.col("_event.source.uri").alias("source_uri"),
        F.col("_event.source.row").alias("source_row"),
        F.col("_event.kafka.topic").alias("kafka_topic"),
        F.col("_event.kafka.partition").alias("kafka_partition"),
        F.col("_event.kafka.offset").alias("kafka_offset"),
        "_event.line.*",
    )
    own = [c for c in meta.columns if c not in LINE_FIELDS]
    flat = normalise_headers(meta, LINE_FIELDS, "bronze line", keep=own)
    flat = flat.withColumns(
        {
            "source_row": _number("source_row", "bigint"),
            "kafka_partition": _number("kafka_partition", "int"),
            "kafka_offset": _number("kafka_offset", "bigint"),
        }
    )
    flat = with_marks(flat)
    unparsed = F.col("_unparsed")
    mismatch = (F.col("dataset") != F.col("_path_dataset")) | (
        F.col("_event_order_date") != F.col("dt").cast("string")
    )
    flat = flat.withColumn(
        VIOLATIONS_COL, violation(unparsed, "bronze_json", "line", F.lit(None), "not a JSON object")
    ).withColumn(
        VIOLATIONS_COL,
        violation(
            ~unparsed & mismatch,
            "bronze_partition",
            "order_date",
            F.col("_event_order_date"),
            "the event's dataset or order_date differ from its bronze partition",
        ),
    )
    return flat.drop("_path_dataset", "_event_order_date")
