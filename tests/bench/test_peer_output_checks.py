"""Negative controls for the output checks of the transform, ingest and warehouse benchmarks: each is
fed a peer output known to differ from ours and must report it (and stay quiet when both agree)."""

import copy

import ingest_check
import transform_check
import warehouse_check

SPARK = {
    "2022-04-29": {"bronze_rows": 1500, "silver_rows": 1499, "silver_realised_sum": "812345.00"},
    "2022-04-30": {"bronze_rows": 1481, "silver_rows": 1481, "silver_realised_sum": "790001.50"},
}
# pandas reports sums as floats, Spark as decimal text: equal to the cent is equal.
PANDAS = {d: c | {"silver_realised_sum": float(c["silver_realised_sum"])} for d, c in SPARK.items()}


def test_transform_outputs_that_agree_pass():
    assert transform_check.differences(SPARK, PANDAS) == []


def test_transform_reports_a_row_count_a_sum_and_a_missing_date():
    pandas = copy.deepcopy(PANDAS)
    pandas["2022-04-29"]["silver_rows"] = 1498
    pandas["2022-04-30"]["silver_realised_sum"] = 790001.49
    pandas["2022-05-01"] = {"bronze_rows": 1, "silver_rows": 1, "silver_realised_sum": 0.0}
    found = transform_check.differences(SPARK, pandas)
    assert found == [
        "2022-05-01: only pandas wrote this date",
        "2022-04-29: silver_rows spark 1499 vs pandas 1498",
        "2022-04-30: realised sum spark 790001.50 vs pandas 790001.49",
    ]


def test_transform_with_no_spark_output_is_no_agreement():
    assert "spark wrote no date at all" in transform_check.differences({}, {})


def ingest_run(rows=1000, raw=1000, produced=990, dead=10, landed=990, sent=1000):
    def step(**counts):
        return {"result": {"counts": counts}}

    return {
        "rows": rows,
        "ingest_raw": step(rows=raw),
        "stream_produce": step(events=produced, dead_lettered=dead),
        "stream_land": step(landed=landed, rejected=0),
        "perf_test": {"summary": f"{sent} records sent, 61329.05 records/sec (69.87 MB/sec)"},
    }


def test_ingest_run_that_carried_every_record_passes():
    assert ingest_check.differences(ingest_run()) == []


def test_ingest_reports_each_side_that_lost_records():
    assert ingest_check.differences(ingest_run(landed=989)) == ["stream-land landed: 989 (expected 990)"]
    assert ingest_check.differences(ingest_run(dead=0)) == [
        "stream-produce events + dead letters: 990 (expected 1000)"
    ]
    assert ingest_check.differences(ingest_run(raw=999)) == ["ingest-raw rows: 999 (expected 1000)"]
    assert ingest_check.differences(ingest_run(sent=500)) == [
        "kafka-producer-perf-test records sent: 500 (expected 1000)"
    ]


def test_ingest_reports_a_missing_step_result():
    run = ingest_run()
    del run["stream_land"]
    assert ingest_check.differences(run) == ["stream-land landed: None (expected 990)"]


def load(rows=128975, gross="1234.50", digest="98765"):
    line = f"{rows}|{gross}|{digest}\n"
    return {"rows": rows, "fact": warehouse_check.parse(line)}


def test_warehouse_loads_with_the_same_fact_agree():
    assert warehouse_check.differences(load(), load()) == []


def test_warehouse_reports_rows_amounts_and_row_contents_that_differ():
    assert warehouse_check.differences(load(), load(digest="98764")) == [
        "fact row_hash_sum: copy 98765 vs insert 98764"
    ]
    assert warehouse_check.differences(load(), load(gross="1234.51")) == [
        "fact gross_amount: copy 1234.50 vs insert 1234.51"
    ]
    assert warehouse_check.differences(load(), load(rows=128974)) == [
        "rows loaded: copy 128975 vs insert 128974",
        "fact rows: copy 128975 vs insert 128974",
    ]


def test_warehouse_without_a_fact_checksum_is_no_agreement():
    assert warehouse_check.differences({"rows": 1}, {"rows": 1}) != []


def test_warehouse_checksum_sql_covers_the_natural_columns_of_the_schema_given():
    sql = warehouse_check.fact_checksum_sql("bench_insert")
    assert "from bench_insert.fact_order_lines" in sql
    for column in ("order_id", "sku", "qty", "amount", "gross_amount", "is_cancelled"):
        assert column in sql


def test_warehouse_bare_copy_of_every_row_agrees():
    assert warehouse_check.bare_copy_differences({**load(), "bare_copy": {"rows": 128975}}) == []


def test_warehouse_reports_a_bare_copy_of_other_rows_or_none():
    assert warehouse_check.bare_copy_differences({**load(), "bare_copy": {"rows": 128974}}) == [
        "bare COPY rows: 128974 vs the load's 128975"
    ]
    assert warehouse_check.bare_copy_differences(load()) == ["bare COPY rows: None vs the load's 128975"]
    both = {"rows": 128975, "text": {"rows": 128975}, "binary": {"rows": 12}}
    assert warehouse_check.bare_copy_differences({**load(), "bare_copy": both}) == [
        "bare COPY (binary) rows: 12 vs the load's 128975"
    ]


def timed(rows_per_s, bare_rows_per_s, seconds=1.0):
    return {"rows_per_s": rows_per_s, "seconds": seconds, "bare_copy": {"rows_per_s": bare_rows_per_s}}


def test_warehouse_repeated_loads_report_the_run_of_median_share_and_every_run():
    runs = [timed(300, 1000, 3.3), timed(330, 760, 3.0), timed(310, 800, 3.2)]
    chosen = warehouse_check.median_run(runs)
    # Shares 30 %, 43.4 %, 38.8 %: the middle one is the third run, whatever its own speed.
    assert (chosen["rows_per_s"], chosen["bare_copy"]["rows_per_s"]) == (310, 800)
    assert [r["share"] for r in chosen["repeats"]] == [0.3, 0.434, 0.388]
    assert [r["seconds"] for r in chosen["repeats"]] == [3.3, 3.0, 3.2]


def test_warehouse_single_load_is_reported_as_it_is():
    run = timed(300, 1000)
    assert warehouse_check.median_run([run]) is run
    assert "repeats" not in run
