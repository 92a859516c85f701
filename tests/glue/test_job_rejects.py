"""Input the job refuses as a whole: nothing is written and the error names the problem."""

import glob
import json
import os

import pytest
from bronze_from_csv import events_from_csv, write_bronze
from clean_order_lines import local_arguments, main
from conftest import SAMPLE_CSV
from order_lines.errors import NoBronzeError, SchemaDriftError
from order_lines.job import JobOptions, run


def drifted_lake(root):
    """The sample's 2022-04-30 bronze with `line.currency` renamed to `line.discount_code`."""
    events = [e for e in events_from_csv(str(SAMPLE_CSV), "drift") if e["order_date"] == "2022-04-30"]
    for e in events:
        e["line"]["discount_code"] = e["line"].pop("currency")
    write_bronze(str(root), events[:50])
    return root


def test_an_unexpected_bronze_schema_fails_naming_the_columns(spark, tmp_path):
    root = drifted_lake(tmp_path)
    with pytest.raises(SchemaDriftError) as error:
        run(spark, JobOptions("drift", "2022-04-30", "2022-04-30", f"file://{root}", "run-drift"))
    message = str(error.value)
    assert "bronze dataset=drift dt=2022-04-30" in message
    assert 'missing columns: "line.currency"' in message
    assert 'unexpected columns: "line.discount_code"' in message
    assert glob.glob(f"{root}/lake/silver/**/*", recursive=True) == []
    assert glob.glob(f"{root}/lake/_staging/**/*.parquet", recursive=True) == []


def test_a_foreign_event_schema_version_is_drift_too(spark, tmp_path):
    events = [e for e in events_from_csv(str(SAMPLE_CSV), "v2") if e["order_date"] == "2022-04-30"][:5]
    for e in events:
        e["schema"] = "sales.order_lines.v2"
    write_bronze(str(tmp_path), events)
    with pytest.raises(SchemaDriftError, match="event schema sales.order_lines.v2"):
        run(spark, JobOptions("v2", "2022-04-30", "2022-04-30", f"file://{tmp_path}", "run-v2"))


def test_no_bronze_for_any_requested_date_is_refused(spark, tmp_path):
    with pytest.raises(NoBronzeError, match="no bronze under"):
        run(spark, JobOptions("none", "2022-04-01", "2022-04-02", f"file://{tmp_path}", "run-none"))


def test_the_entrypoint_exits_1_on_rejected_input_and_reports_one_error_line(spark, tmp_path, capsys):
    argv = ["clean_order_lines.py", "--dataset", "none", "--dt", "2022-04-01", "--to", "2022-04-01"]
    argv += ["--lake_root", f"file://{tmp_path}", "--run_id", "r"]
    assert main(argv) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("GLUE_TRANSFORM_ERROR "))
    report = json.loads(line.split(" ", 1)[1])
    assert report["error"] == "NoBronzeError" and report["rejected"] is True
    assert spark.sparkContext._jsc is not None  # the shared session was not stopped


def test_the_entrypoint_reads_glue_style_arguments():
    args = local_arguments(
        [
            "--dataset",
            "d",
            "--dt",
            "2022-04-30",
            "--to",
            "2022-04-30",
            "--lake_root",
            "s3a://b",
            "--run_id",
            "x",
        ]
    )
    assert args == {
        "JOB_NAME": "glue-transform",
        "dataset": "d",
        "dt": "2022-04-30",
        "to": "2022-04-30",
        "lake_root": "s3a://b",
        "run_id": "x",
    }
    assert os.path.basename(__file__).startswith("test_")
