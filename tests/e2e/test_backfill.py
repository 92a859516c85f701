"""A backfill of three dates leaves the same warehouse as three single daily runs.

Both paths are the commands people use: `stack/airflow.sh dags-test` (make pipeline) and
`stack/airflow.sh backfill` (make backfill), against the developer's stack and Airflow home. The
single run of the last date is the daily run test's (`airflow dags test`, the same DAG and runner),
so the suite pays for one daily run fewer.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import DAILY_DATE, ROOT, warehouse

# The last date is the daily run's, already run once by the daily_run fixture.
DATES = ["2022-04-28", "2022-04-29", DAILY_DATE]
# The fact table's business columns (docs/contracts.md), in a stable order, as one checksum.
FINGERPRINT = """
select count(*), md5(coalesce(string_agg(row_text, '|' order by row_text), ''))
from (
  select concat_ws(',', dataset, dt, order_id, sku, qty, amount, gross_amount, realised_amount,
                   lost_amount, promo_count, is_b2b, is_cancelled, is_non_amazon) as row_text
  from sales.fact_order_lines
  where dataset = :'dataset' and dt between cast(:'first' as date) and cast(:'last' as date)
) lines
"""


def airflow_sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "stack/airflow.sh", *args], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )


def fingerprint(env: dict[str, str]) -> list[str]:
    return warehouse(env, FINGERPRINT, dataset="kaggle-sample", first=DATES[0], last=DATES[-1])


@pytest.fixture(scope="module")
def single_runs(stack, daily_run):
    done, states = daily_run
    failed = {t: s["state"] for t, s in states.items() if s["state"] != "success"}
    assert not failed, f"daily run of {DATES[-1]} failed: {failed}\n{done.stdout[-3000:]}"
    for date in DATES[:-1]:
        done = airflow_sh("dags-test", "sales_pipeline", date)
        assert done.returncode == 0, f"daily run of {date} failed:\n{done.stdout[-3000:]}"
    return fingerprint(stack)


def test_a_backfill_gives_the_same_warehouse_as_single_runs(stack, single_runs):
    rows, _ = single_runs
    assert int(rows) > 0, "the sample has order lines on each of these dates"
    # Empty the partitions first, so only the backfill's own loads can make the tables equal again.
    warehouse(
        stack,
        "delete from sales.fact_order_lines where dataset = :'dataset' "
        "and dt between cast(:'first' as date) and cast(:'last' as date) returning 1",
        dataset="kaggle-sample",
        first=DATES[0],
        last=DATES[-1],
    )
    assert int(fingerprint(stack)[0]) == 0
    done = airflow_sh("backfill", DATES[0], DATES[-1])
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"every date from {DATES[0]} to {DATES[-1]} succeeded" in done.stderr
    assert fingerprint(stack) == single_runs
