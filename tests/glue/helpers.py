"""Builders for tiny golden inputs: one realistic order line (row 1 of the real sample) that each
test changes in the one place it is about."""

import datetime as dt
import json

from order_lines.columns import LINE_FIELDS
from order_lines.marks import with_marks
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import DateType, IntegerType, LongType, StringType, StructField, StructType

BASE_LINE = {
    "index": "1",
    "order_id": "171-9198151-1101146",
    "date": "04-30-22",
    "status": "Shipped - Delivered to Buyer",
    "fulfilment": "Merchant",
    "sales_channel": "Amazon.in",
    "ship_service_level": "Standard",
    "style": "JNE3781",
    "sku": "JNE3781-KR-XXXL",
    "category": "kurta",
    "size": "3XL",
    "asin": "B09K3WFS32",
    "courier_status": "Shipped",
    "qty": "1",
    "currency": "INR",
    "amount": "406.0",
    "ship_city": "BENGALURU",
    "ship_state": "KARNATAKA",
    "ship_postal_code": "560085.0",
    "ship_country": "IN",
    "promotion_ids": None,
    "b2b": "False",
    "fulfilled_by": "Easy Ship",
    "unnamed_22": None,
}
DT = dt.date(2022, 4, 30)
URI = "s3://sales-pipeline/raw/amazon_sale_report/dataset=test/ingest_date=2022-04-30/x.csv"

_META = [
    StructField("dataset", StringType()),
    StructField("dt", DateType()),
    StructField("source_uri", StringType()),
    StructField("source_row", LongType()),
    StructField("kafka_topic", StringType()),
    StructField("kafka_partition", IntegerType()),
    StructField("kafka_offset", LongType()),
    StructField("bronze_line", StringType()),
]
SCHEMA = StructType([StructField(f, StringType()) for f in LINE_FIELDS] + _META)


def line(**changes) -> dict:
    """BASE_LINE with some fields changed (None = empty in the source)."""
    unknown = set(changes) - set(LINE_FIELDS) - {f.name for f in _META}
    assert not unknown, unknown
    return {**BASE_LINE, **changes}


def frame(spark: SparkSession, *lines: dict) -> DataFrame:
    """A DataFrame shaped like bronze.read_bronze's output (line fields as text, position, empty
    marks), one row per line; source rows and Kafka offsets numbered in order."""
    rows = []
    for i, ln in enumerate(lines):
        meta = {
            "dataset": "test",
            "dt": DT,
            "source_uri": URI,
            "source_row": i + 2,
            "kafka_topic": "sales.order_lines.v1",
            "kafka_partition": 0,
            "kafka_offset": i,
        }
        merged = {**meta, **ln}
        merged.setdefault("bronze_line", json.dumps({"line": {f: merged[f] for f in LINE_FIELDS}}))
        rows.append(tuple(merged.get(f.name) for f in SCHEMA.fields))
    return with_marks(spark.createDataFrame(rows, SCHEMA))


def rules_of(row) -> list[str]:
    return [v["rule"] for v in row["_violations"]]
