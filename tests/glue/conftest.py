"""Shared fixtures of the transform's tests: one local SparkSession for the whole run (Spark's start-up
is the slow part), the reference data, and helpers that build bronze events and tiny DataFrames."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "glue" / "jobs"), str(ROOT / "glue" / "tools")]
SAMPLE_CSV = ROOT.parent / "shared" / "data" / "amazon_sale_report_sample.csv"

# Never let pyspark fetch a Spark distribution, and keep every socket on loopback.
os.environ.pop("PYSPARK_HADOOP_VERSION", None)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


def _start_up_archive() -> str:
    """The class-data-sharing archive `make setup` built (shorter JVM start), or nothing."""
    out = subprocess.run(["bash", str(ROOT / "stack" / "spark.sh"), "cds"], capture_output=True, text=True)
    path = out.stdout.strip()
    return f"-XX:SharedArchiveFile={path} -Xshare:auto" if out.returncode == 0 and path else ""


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.extraJavaOptions", _start_up_archive())
        .appName("tests-glue")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def ref():
    from order_lines import reference

    return reference.load()
