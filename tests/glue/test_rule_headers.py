"""Rule 1: header normalisation and schema drift."""

import csv

import pytest
from conftest import SAMPLE_CSV
from order_lines.columns import LINE_FIELDS, SOURCE_COLUMNS
from order_lines.errors import SchemaDriftError
from order_lines.rules.headers import check_columns, normalise_headers, snake_case


def test_every_source_header_maps_to_its_bronze_field_name():
    assert [snake_case(c) for c in SOURCE_COLUMNS] == list(LINE_FIELDS)


def test_the_trailing_space_of_sales_channel_is_removed():
    assert snake_case("Sales Channel ") == "sales_channel"
    assert snake_case("  Order ID") == "order_id"
    assert snake_case("Unnamed: 22") == "unnamed_22"


def test_the_real_csv_header_read_by_spark_normalises_to_the_contract(spark):
    raw = spark.read.option("header", True).csv(str(SAMPLE_CSV))
    assert "Sales Channel " in raw.columns  # the trap is really there
    normalised = normalise_headers(raw, where=SAMPLE_CSV.name)
    assert normalised.columns == list(LINE_FIELDS)
    with open(SAMPLE_CSV, newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    row = normalised.first()
    assert row["sales_channel"] == first["Sales Channel "]
    assert row["order_id"] == first["Order ID"]


def test_missing_and_unexpected_columns_are_refused_by_name(spark):
    columns = [c for c in SOURCE_COLUMNS if c != "Qty"] + ["Quantity"]
    df = spark.createDataFrame([tuple("x" for _ in columns)], columns)
    with pytest.raises(SchemaDriftError) as error:
        normalise_headers(df, where="drifted.csv")
    message = str(error.value)
    assert 'missing columns: "qty"' in message
    assert 'unexpected columns: "Quantity"' in message
    assert "drifted.csv" in message and "[input-rejected]" in message


def test_two_headers_that_normalise_to_one_name_are_not_merged_silently():
    with pytest.raises(SchemaDriftError) as error:
        check_columns([*SOURCE_COLUMNS, "qty "], LINE_FIELDS, "twice.csv")
    assert error.value.unexpected == ["qty "]
    assert error.value.missing == []


def test_a_matching_header_passes():
    check_columns(SOURCE_COLUMNS, LINE_FIELDS, "ok.csv")
