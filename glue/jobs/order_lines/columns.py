"""Column contracts of the transform: the bronze event it reads and the silver/quarantine rows it writes.

Bronze is defined by tasks/src/events/order-line.ts (plus the lander's `kafka` position); silver and
quarantine by docs/contracts.md. Everything is read as text first (cleaning rule 2): the JSON schema
below declares every source field a string, so a number where text was expected never fails a read.
"""

from pyspark.sql.types import (
    ArrayType,
    LongType,
    StringType,
    StructField,
    StructType,
)

EVENT_SCHEMA_ID = "sales.order_lines.v1"

# The Kaggle header, exactly as spelt (trailing space of "Sales Channel " and "Unnamed: 22" included).
SOURCE_COLUMNS = (
    "index",
    "Order ID",
    "Date",
    "Status",
    "Fulfilment",
    "Sales Channel ",
    "ship-service-level",
    "Style",
    "SKU",
    "Category",
    "Size",
    "ASIN",
    "Courier Status",
    "Qty",
    "currency",
    "Amount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "B2B",
    "fulfilled-by",
    "Unnamed: 22",
)

# snake_case names of the same columns, as the bronze `line` object carries them.
LINE_FIELDS = (
    "index",
    "order_id",
    "date",
    "status",
    "fulfilment",
    "sales_channel",
    "ship_service_level",
    "style",
    "sku",
    "category",
    "size",
    "asin",
    "courier_status",
    "qty",
    "currency",
    "amount",
    "ship_city",
    "ship_state",
    "ship_postal_code",
    "ship_country",
    "promotion_ids",
    "b2b",
    "fulfilled_by",
    "unnamed_22",
)

# Keys each bronze line must have, per JSON object.
EVENT_KEYS = {
    "": ("schema", "dataset", "source", "order_date", "line", "kafka"),
    "source": ("uri", "row"),
    "line": LINE_FIELDS,
    "kafka": ("topic", "partition", "offset"),
}

BRONZE_EVENT = StructType(
    [
        StructField("schema", StringType()),
        StructField("dataset", StringType()),
        StructField(
            "source", StructType([StructField("uri", StringType()), StructField("row", StringType())])
        ),
        StructField("order_date", StringType()),
        StructField("line", StructType([StructField(f, StringType()) for f in LINE_FIELDS])),
        StructField(
            "kafka",
            StructType(
                [
                    StructField("topic", StringType()),
                    StructField("partition", StringType()),
                    StructField("offset", StringType()),
                ]
            ),
        ),
    ]
)

VIOLATION = StructType(
    [
        StructField("rule", StringType()),
        StructField("column", StringType()),
        StructField("raw_value", StringType()),
        StructField("detail", StringType()),
    ]
)
VIOLATIONS = ArrayType(VIOLATION)
FLAGS = ArrayType(StringType())

# Silver columns in contract order (docs/contracts.md "Silver order line").
SILVER_COLUMNS = (
    "dataset",
    "dt",
    "order_id",
    "sku",
    "source_index",
    "order_date",
    "status",
    "status_bucket",
    "fulfilment",
    "sales_channel",
    "ship_service_level",
    "style",
    "asin",
    "category",
    "size",
    "courier_status",
    "qty",
    "currency",
    "amount",
    "gross_amount",
    "realised_amount",
    "lost_amount",
    "ship_city",
    "ship_city_raw",
    "ship_state",
    "ship_state_raw",
    "ship_postal_code",
    "ship_postal_code_raw",
    "ship_country",
    "promotion_ids",
    "has_promotion",
    "promo_count",
    "b2b",
    "fulfilled_by",
    "is_non_amazon",
    "is_cancelled",
    "dq_flags",
    "kafka_partition",
    "kafka_offset",
)

# One quarantine row per bronze row that did not become silver (redeliveries excepted: they are the
# same source row again and are only counted).
QUARANTINE_COLUMNS = (
    "dataset",
    "dt",
    "kind",
    "rule",
    "column",
    "raw_value",
    "detail",
    "violations",
    "order_id",
    "sku",
    "source_uri",
    "source_row",
    "kafka_topic",
    "kafka_partition",
    "kafka_offset",
    "bronze_line",
)

SOURCE_ROW_TYPE = LongType()

# What a rule may record on a row that stays in silver (dq_flags) ...
DQ_FLAGS = (
    "index_invalid",
    "qty_missing",
    "postal_code_placeholder",
    "postal_code_invalid",
    "non_amazon_amount_ignored",
    "amount_missing",
    "state_alias",
    "state_pin_conflict",
    "state_from_pin",
    "state_unresolved",
    "city_pin_stripped",
    "city_fragment",
    "city_alias",
    "city_junk",
    "promotion_repeated_ids",
)
# ... and the rule ids of rows it sends to quarantine.
QUARANTINE_RULES = (
    "bronze_json",
    "bronze_partition",
    "missing_value",
    "qty_type",
    "amount_type",
    "b2b_type",
    "date_format",
    "date_invalid",
    "date_partition",
    "status_bucket",
    "too_long",
    "negative_amount",
    "duplicate_key",
)
