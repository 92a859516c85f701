"""The pipeline DAGs: the chain, the dates and dataset each step gets, the schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from airflow.sdk.exceptions import ParamValidationError

from sales_pipeline.settings import load_settings

CHAIN = [
    "ingest_raw",
    "stream_produce",
    "stream_land",
    "quality_bronze",
    "glue_transform",
    "quality_silver",
    "warehouse_load",
    "quality_warehouse",
    "quality_reconcile",
    "analysis",
    "quality_features",
    "quality_product_features",
    "train",
    "dashboard",
]
# History steps that run once for the range's first or last day instead of over the range.
FIRST_DAY_ONLY = ("ingest_raw", "stream_land")
LAST_DAY_ONLY = ("quality_features", "quality_product_features", "train", "dashboard")


def chain_of(dag) -> list[str]:
    """Task ids from the single root along the single downstream path; fails on any branching."""
    (task,) = [t for t in dag.tasks if not t.upstream_list]
    order = [task.task_id]
    while task.downstream_list:
        (task,) = task.downstream_list
        order.append(task.task_id)
    assert len(order) == len(dag.tasks), "every task is on the one chain"
    return order


@pytest.mark.parametrize("dag_id", ["sales_pipeline", "sales_pipeline_history"])
def test_the_pipeline_runs_the_steps_in_order(dag_bag, dag_id):
    assert chain_of(dag_bag.dags[dag_id]) == CHAIN


def test_setup_checks_the_services_then_migrates_the_warehouse(dag_bag):
    dag = dag_bag.dags["sales_pipeline_setup"]
    assert chain_of(dag) == ["doctor", "warehouse_migrate"]
    for task in dag.tasks:
        assert "--dt" not in task.arguments, "setup steps take no date"


def test_the_daily_dag_runs_each_sales_day_once_the_day_is_over(dag_bag):
    dag = dag_bag.dags["sales_pipeline"]
    assert dag.catchup is True
    assert dag.start_date == datetime(2022, 3, 31, tzinfo=UTC)
    assert dag.end_date == datetime(2022, 6, 29, tzinfo=UTC)
    from airflow.serialization.encoders import coerce_to_core_timetable

    timetable = coerce_to_core_timetable(dag.timetable)
    first = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=_no_limit(dag))
    assert first.logical_date == datetime(2022, 3, 31, tzinfo=UTC)
    assert first.data_interval.end == datetime(2022, 4, 1, tzinfo=UTC)


def _no_limit(dag):
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=dag.start_date, latest=None, catchup=True)


def test_the_end_date_comes_from_the_environment_and_bad_values_name_the_variable():
    assert load_settings({"PIPELINE_END_DATE": "2022-04-30"}).end_date == datetime(2022, 4, 30)
    with pytest.raises(ValueError, match="PIPELINE_END_DATE"):
        load_settings({"PIPELINE_END_DATE": "30/04/2022"})


def test_daily_steps_get_the_logical_date_the_run_id_and_the_dataset(dag_bag):
    for task in dag_bag.dags["sales_pipeline"].tasks:
        args = task.arguments
        assert args[:3] == [task.step, "--dt", "{{ ds }}"], task.task_id
        assert "--to" not in args, task.task_id
        assert args[args.index("--run-id") + 1] == "{{ run_id }}", task.task_id
        # The lander lands every dataset on the topic; every other step works on one.
        has_dataset = "--dataset" in args
        assert has_dataset == (task.task_id != "stream_land"), task.task_id
        if has_dataset:
            assert args[args.index("--dataset") + 1] == "{{ params.dataset }}"


def test_history_steps_get_the_range_except_the_ones_that_run_once(dag_bag):
    for task in dag_bag.dags["sales_pipeline_history"].tasks:
        args = task.arguments
        first = "{{ params.end }}" if task.task_id in LAST_DAY_ONLY else "{{ params.start }}"
        assert args[1:3] == ["--dt", first], task.task_id
        ranged = "--to" in args
        assert ranged == (task.task_id not in FIRST_DAY_ONLY + LAST_DAY_ONLY), task.task_id
        if ranged:
            assert args[args.index("--to") + 1] == "{{ params.end }}"


@pytest.mark.parametrize("dag_id", ["sales_pipeline", "sales_pipeline_history"])
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"dataset": "kaggle-sample", "source": ""}, "{shared}/amazon_sale_report_sample.csv"),
        (
            {"dataset": "synthetic-seed42-128975", "source": ""},
            "{data}/amazon_sale_report_synthetic_seed42_128975.csv",
        ),
        ({"dataset": "my-data", "source": "/tmp/my.csv"}, "/tmp/my.csv"),
    ],
)
def test_ingest_reads_the_datasets_own_file_unless_a_source_is_given(dag_bag, dag_id, params, expected):
    dag = dag_bag.dags[dag_id]
    task = dag.get_task("ingest_raw")
    env = dag.get_template_env()
    params = {**dag.params.dump(), **params}
    rendered = [env.from_string(a).render(params=params, ds="2022-04-30", run_id="r") for a in task.arguments]
    settings = load_settings()
    want = expected.format(shared=str(settings.sample_source).rsplit("/", 1)[0], data=settings.data_dir)
    assert f"--source={want}" in rendered, "one word, so the value can never be read as a flag"
    assert rendered[rendered.index("--dataset") + 1] == params["dataset"]


def test_only_single_writer_steps_are_limited_to_one_run_at_a_time(dag_bag):
    dag = dag_bag.dags["sales_pipeline"]
    limited = {t.task_id for t in dag.tasks if t.max_active_tis_per_dag == 1}
    assert limited == {"stream_land", "glue_transform", "warehouse_load", "analysis", "dashboard"}


def test_both_dags_land_through_the_one_slot_stream_land_pool(dag_bag):
    for dag_id in ("sales_pipeline", "sales_pipeline_history"):
        assert dag_bag.dags[dag_id].get_task("stream_land").pool == "stream_land", dag_id


@pytest.mark.parametrize("dag_id", ["sales_pipeline", "sales_pipeline_history"])
@pytest.mark.parametrize("source", ["--xcom-path=/tmp/owned.json", "-x", " --log-level=x", "a\nb", "\t/x"])
def test_a_source_param_that_could_be_a_flag_is_refused(dag_bag, dag_id, source):
    with pytest.raises(ParamValidationError):
        dag_bag.dags[dag_id].params.get_param("source").resolve(value=source)


@pytest.mark.parametrize("dag_id", ["sales_pipeline", "sales_pipeline_history"])
@pytest.mark.parametrize("source", ["", "/data/a b.csv", "data/x.csv", "s3://sales-pipeline/raw/x.csv"])
def test_a_path_or_s3_uri_source_param_is_accepted(dag_bag, dag_id, source):
    assert dag_bag.dags[dag_id].params.get_param("source").resolve(value=source) == source
