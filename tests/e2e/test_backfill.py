"""A backfill of two dates leaves the warehouse a single run leaves, and one the source agrees with.

The path is the command people use, `stack/airflow.sh backfill` (make backfill), against the e2e
stack and its Airflow home. Its last date is the daily run's (`airflow dags test`, the same DAG and
runner): after the backfill, that date's fact rows are, row for row, the ones the single run left.
The date before it is held to the source file instead of to a single run of its own (a DAG run
fewer): its silver manifest and fact rows reconcile with the CSV's rows and amounts, and the marts
of both dates equal a recomputation from the CSV. Two dates prove a range is walked date by date;
that repeated and out-of-order loads of a date leave the same warehouse is the integration tier's
to prove (warehouse-load tests).
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import DAILY_DATE, ROOT, warehouse
from source import DATASET, assert_day_reconciles, source_marts, warehouse_marts

# The last date is the daily run's, already run once by the daily_run fixture.
DATES = ["2022-04-29", DAILY_DATE]
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


def fingerprint(env: dict[str, str], first: str, last: str) -> list[str]:
    return warehouse(env, FINGERPRINT, dataset=DATASET, first=first, last=last)


@pytest.fixture(scope="module")
def single_run(stack, daily_run):
    """The fingerprint of the daily run's date, as its single run left it."""
    done, states = daily_run
    failed = {t: s["state"] for t, s in states.items() if s["state"] != "success"}
    assert not failed, f"daily run of {DATES[-1]} failed: {failed}\n{done.stdout[-3000:]}"
    return fingerprint(stack, DATES[-1], DATES[-1])


def test_a_backfill_gives_the_warehouse_of_single_runs_and_of_the_source(stack, single_run):
    rows, _ = single_run
    assert int(rows) > 0, "the sample has order lines on the daily run's date"
    # Empty the partitions first (the e2e stack keeps earlier runs' data), so only the backfill's own
    # loads can fill them again.
    warehouse(
        stack,
        "delete from sales.fact_order_lines where dataset = :'dataset' "
        "and dt between cast(:'first' as date) and cast(:'last' as date) returning 1",
        dataset=DATASET,
        first=DATES[0],
        last=DATES[-1],
    )
    assert int(fingerprint(stack, DATES[0], DATES[-1])[0]) == 0
    done = airflow_sh("backfill", DATES[0], DATES[-1])
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"every date from {DATES[0]} to {DATES[-1]} succeeded" in done.stderr
    assert fingerprint(stack, DATES[-1], DATES[-1]) == single_run
    for date in DATES:
        assert assert_day_reconciles(stack, date) > 0, f"no fact rows of {date} after the backfill"
    marts = warehouse_marts(stack)
    expected = source_marts()
    for date in DATES:
        ours = {k: v for k, v in marts.items() if k[0] == date}
        assert ours, f"the marts hold nothing of {date} after the backfill"
        assert ours == {k: v for k, v in expected.items() if k[0] == date}
