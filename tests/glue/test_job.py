"""The whole job on the real sample (read in place), with traps added to its last day: figures the
test computes from the CSV with the csv module must equal silver; every quarantined row is explained;
a re-run leaves identical silver content."""

import copy
import csv
import glob
import json
from collections import Counter, defaultdict
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from bronze_from_csv import events_from_csv, write_bronze
from conftest import SAMPLE_CSV
from order_lines.columns import QUARANTINE_RULES
from order_lines.job import JobOptions, run

DATASET = "kaggle-sample"
DAYS = ["2022-04-27", "2022-04-28", "2022-04-29", "2022-04-30"]
# docs/contracts.md "Status buckets", written out again here so the test does not trust the code.
BUCKET = {"Cancelled": "cancelled", "Pending": "pending", "Pending - Waiting for Pick Up": "pending"}
BUCKET |= {s: "realised" for s in ("Shipped", "Shipped - Delivered to Buyer", "Shipped - Picked Up")}
BUCKET |= {s: "realised" for s in ("Shipped - Out for Delivery", "Shipping")}
BUCKET |= {s: "returned" for s in ("Shipped - Returned to Seller", "Shipped - Returning to Seller")}
BUCKET |= {"Shipped - Rejected by Buyer": "returned"}
BUCKET |= {"Shipped - Lost in Transit": "lost_damaged", "Shipped - Damaged": "lost_damaged"}


def expected_from_csv():
    """Per day: rows, realised amount, and rows and gross amount per bucket, from the CSV alone."""
    out = defaultdict(
        lambda: {"rows": 0, "realised": Decimal(0), "buckets": defaultdict(lambda: [0, Decimal(0)])}
    )
    with open(SAMPLE_CSV, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            mm, dd, yy = r["Date"].split("-")
            day = out[f"20{yy}-{mm}-{dd}"]
            gross = Decimal(0) if r["Sales Channel "] == "Non-Amazon" else Decimal(r["Amount"] or 0)
            bucket = BUCKET[r["Status"]]
            day["rows"] += 1
            day["buckets"][bucket][0] += 1
            day["buckets"][bucket][1] += gross
            if bucket == "realised":
                day["realised"] += gross
    return out


def traps(events):
    """Bad rows added to 2022-04-30, each with the fate it must get."""
    last_day = [e for e in events if e["order_date"] == "2022-04-30"]
    shipped = next(e for e in last_day if e["line"]["status"] == "Shipped" and e["line"]["amount"])
    redelivered = [copy.deepcopy(e) for e in last_day[:3]]  # the same source rows landed again
    duplicate = copy.deepcopy(shipped)
    duplicate["source"]["row"] = 90001
    duplicate["line"]["status"] = "Cancelled"  # loses to the shipped line with an amount
    unknown = copy.deepcopy(last_day[10])
    unknown["source"]["row"] = 90002
    unknown["line"]["order_id"], unknown["line"]["status"] = "999-0000000-0000001", "Shipped - Teleported"
    bad_amount = copy.deepcopy(last_day[11])
    bad_amount["source"]["row"] = 90003
    bad_amount["line"]["order_id"], bad_amount["line"]["amount"] = "999-0000000-0000002", "12,50"
    return redelivered, [duplicate, unknown, bad_amount]


@pytest.fixture(scope="module")
def sample_run(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("lake")
    events = events_from_csv(str(SAMPLE_CSV), DATASET)
    redelivered, bad = traps(events)
    write_bronze(str(root), events + redelivered + bad)
    summary = run(spark, JobOptions(DATASET, DAYS[0], DAYS[-1], f"file://{root}", "run-1"))
    return root, summary, len(redelivered), bad


def read_parquet(root, keys):
    rows = []
    for key in keys:
        rows += pq.ParquetFile(f"{root}/{key}").read().to_pylist()
    return rows


def partition_files(root, layer, day):
    return sorted(glob.glob(f"{root}/lake/{layer}/order_lines/dataset={DATASET}/dt={day}/*.parquet"))


def test_silver_figures_equal_the_csv_computed_independently(sample_run):
    root, summary, _, _ = sample_run
    expected = expected_from_csv()
    assert summary["dates"] == DAYS
    for day in DAYS:
        manifest = summary["manifests"][day]
        want = expected[day]
        assert manifest["silver_rows"] == want["rows"], day
        assert Decimal(manifest["silver_realised_sum"]) == want["realised"], day
        for bucket, figures in manifest["buckets"].items():
            assert [figures["rows"], Decimal(figures["gross_amount"])] == list(
                want["buckets"].get(bucket, [0, 0])
            )
        silver = read_parquet(root, manifest["files"])
        assert len(silver) == want["rows"]
        assert sum(r["realised_amount"] for r in silver) == want["realised"]
        assert len({(r["order_id"], r["sku"]) for r in silver}) == len(silver)
        assert [f"{root}/{k}" for k in manifest["files"]] == partition_files(root, "silver", day)


def test_counts_reconcile_with_bronze_exactly(sample_run):
    _, summary, n_redelivered, bad = sample_run
    expected = expected_from_csv()
    for day, m in summary["manifests"].items():
        parts = m["redelivered_rows"] + m["duplicate_rows"] + m["quarantined_rows"] + m["silver_rows"]
        assert m["bronze_rows"] == parts
        extra = n_redelivered + len(bad) if day == "2022-04-30" else 0
        assert m["bronze_rows"] == expected[day]["rows"] + extra
    last = summary["manifests"]["2022-04-30"]
    assert (last["redelivered_rows"], last["duplicate_rows"], last["quarantined_rows"]) == (3, 1, 2)


def test_every_quarantined_row_is_explained(sample_run):
    root, summary, _, bad = sample_run
    manifest = summary["manifests"]["2022-04-30"]
    rows = read_parquet(root, manifest["quarantine_files"])
    assert len(rows) == manifest["duplicate_rows"] + manifest["quarantined_rows"]
    assert {r["rule"] for r in rows} <= set(QUARANTINE_RULES)
    got = sorted((r["source_row"], r["kind"], r["rule"], r["column"], r["raw_value"]) for r in rows)
    duplicate, unknown, bad_amount = bad
    assert got == [
        (
            90001,
            "duplicate",
            "duplicate_key",
            "order_id,sku",
            f"{duplicate['line']['order_id']}|{duplicate['line']['sku']}",
        ),
        (90002, "rejected", "status_bucket", "status", "Shipped - Teleported"),
        (90003, "rejected", "amount_type", "amount", "12,50"),
    ]
    assert all(
        r["kafka_offset"] is not None and json.loads(r["bronze_line"])["source"]["row"] == r["source_row"]
        for r in rows
    )
    assert manifest["quarantine_rules"] == {"amount_type": 1, "duplicate_key": 1, "status_bucket": 1}
    for day in DAYS[:-1]:
        assert (
            summary["manifests"][day]["quarantine_files"] == []
            and partition_files(root, "quarantine", day) == []
        )


def test_a_rerun_of_a_date_leaves_identical_silver_content(spark, sample_run):
    root, summary, _, _ = sample_run
    first = summary["manifests"]["2022-04-30"]
    before = read_parquet(root, first["files"]), read_parquet(root, first["quarantine_files"])
    again = run(spark, JobOptions(DATASET, "2022-04-30", "2022-04-30", f"file://{root}", "run-2"))
    second = again["manifests"]["2022-04-30"]
    assert second["run_id"] == "run-2"
    assert second["row_set_sha256"] == first["row_set_sha256"]
    assert read_parquet(root, second["files"]) == before[0]
    assert read_parquet(root, second["quarantine_files"]) == before[1]
    # The previous run's files are gone: the partition holds exactly what the manifest names.
    assert [f"{root}/{k}" for k in second["files"]] == partition_files(root, "silver", "2022-04-30")
    assert set(second["files"]).isdisjoint(first["files"])
    assert glob.glob(f"{root}/lake/_staging/order_lines/*") == []
    with open(f"{root}/lake/silver/order_lines/dataset={DATASET}/dt=2022-04-30/_manifest.json") as f:
        assert json.load(f)["run_id"] == "run-2"


def test_silver_flags_what_the_cleaning_changed_in_the_sample(sample_run, ref):
    root, summary, _, _ = sample_run
    flags = Counter()
    for m in summary["manifests"].values():
        flags.update(m["dq_flags"])
    # Facts of the sample (../shared/DATA.md): Rajshthan, NL, New Delhi... need aliases; one 989898.
    assert flags["state_alias"] >= 5
    assert flags["postal_code_placeholder"] >= 1
    assert flags["city_alias"] > 0 and flags["city_pin_stripped"] > 0
    rows = read_parquet(root, summary["manifests"]["2022-04-29"]["files"])
    assert {r["ship_state"] for r in rows} - {None} <= set(ref.states)


def test_a_big_date_is_written_as_several_files_in_key_order(spark, sample_run, monkeypatch):
    """A date beyond MAX_ROWS_PER_FILE becomes several parts; read in the manifest's order they
    hold the same rows, in the same order, as the one file of a small date."""
    from order_lines import publish

    root, _, _, _ = sample_run
    first = run(spark, JobOptions(DATASET, "2022-04-29", "2022-04-29", f"file://{root}", "run-one-file"))
    one = first["manifests"]["2022-04-29"]
    assert len(one["files"]) == 1
    rows = read_parquet(root, one["files"])
    monkeypatch.setattr(publish, "MAX_ROWS_PER_FILE", 500)
    again = run(spark, JobOptions(DATASET, "2022-04-29", "2022-04-29", f"file://{root}", "run-parts"))
    parts = again["manifests"]["2022-04-29"]
    assert len(parts["files"]) == -(-one["silver_rows"] // 500) > 1
    assert parts["files"] == sorted(parts["files"])
    sizes = [pq.ParquetFile(f"{root}/{k}").metadata.num_rows for k in parts["files"]]
    assert max(sizes) <= 500 and sum(sizes) == parts["silver_rows"] == one["silver_rows"]
    assert [f"{root}/{k}" for k in parts["files"]] == partition_files(root, "silver", "2022-04-29")
    assert read_parquet(root, parts["files"]) == rows
    # What warehouse-load checks of a date: (order_id, sku) in UTF-8 byte order, each key once.
    keys = [(r["order_id"].encode(), r["sku"].encode()) for r in rows]
    assert len(keys) == one["silver_rows"] and keys == sorted(set(keys))
