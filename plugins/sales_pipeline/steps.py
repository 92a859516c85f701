"""The one factory that turns a pipeline step into an Airflow operator.

DAGs pass only a step name and its arguments. The runner decides how the step runs:
- local (default): the task program as a subprocess on the Airflow worker (local.py);
- kubernetes: a pod from the step's pinned image, credentials from a Kubernetes Secret (pods.py).
Either way the step gets its dates (`--dt {{ ds }}` by default) and the Airflow run id, its result
JSON comes back as XCom, and its exit code decides between retry and immediate failure (outcomes.py).

Task id = step name with underscores (`warehouse-load` -> `warehouse_load`), except where one step
runs several times in a DAG: the quality gates are named by stage (`quality_bronze` runs
`quality-gate --suite bronze_order_lines`), passed as an explicit `task_id`.
"""

from __future__ import annotations

from collections.abc import Sequence

from airflow.sdk import BaseOperator

from sales_pipeline.settings import Settings, load_settings

# The dates a step gets. Daily runs: the logical date. History (range) runs: the params of the run.
DAY = ("--dt", "{{ ds }}")
RANGE = ("--dt", "{{ params.start }}", "--to", "{{ params.end }}")
FIRST_DAY = ("--dt", "{{ params.start }}")
LAST_DAY = ("--dt", "{{ params.end }}")
NO_DATE: tuple[str, ...] = ()

# Node flags per step, given as NODE_OPTIONS by both runners (and by `make task-quality-gate`,
# whose Makefile copy a DAG test holds equal). V8 grows its heap lazily: left alone the quality
# gate peaks at ~490 MB RSS on 1M rows although its live heap stays under 160 MB; with these caps
# it peaks at ~270 MB at the same speed (docs/quality.md, bench/results/quality.md).
# warehouse-load decodes one silver row group at a time: with these caps a 10M-row day peaks under
# 300 MB RSS (bench/results/warehouse-memory.md).
NODE_OPTIONS = {
    "quality-gate": "--max-old-space-size=192 --max-semi-space-size=8",
    "warehouse-load": "--max-old-space-size=160 --max-semi-space-size=8",
}


def node_env(step: str) -> dict[str, str]:
    """`{"NODE_OPTIONS": ...}` for a step that has Node flags, else nothing."""
    return {"NODE_OPTIONS": NODE_OPTIONS[step]} if step in NODE_OPTIONS else {}


def task_id_for(step: str) -> str:
    """CLI step `warehouse-load` is Airflow task `warehouse_load`."""
    return step.replace("-", "_")


def step_arguments(step: str, args: Sequence[str], dates: Sequence[str] = DAY) -> list[str]:
    """The CLI arguments, identical for both runners: `<step> <dates> --run-id {{ run_id }} <args>`."""
    return [step, *dates, "--run-id", "{{ run_id }}", *args]


def step_task(
    step: str,
    *,
    args: Sequence[str] = (),
    dates: Sequence[str] = DAY,
    task_id: str | None = None,
    settings: Settings | None = None,
    **operator_kwargs,
) -> BaseOperator:
    """Build the operator that runs `sales-pipeline <step>`; `operator_kwargs` go to BaseOperator."""
    settings = settings or load_settings()
    arguments = step_arguments(step, args, dates)
    task_id = task_id or task_id_for(step)
    if settings.runner == "kubernetes":
        from sales_pipeline.pods import step_pod

        return step_pod(step, task_id, arguments, settings, **operator_kwargs)
    from sales_pipeline.local import LocalStepOperator

    return LocalStepOperator(
        task_id=task_id,
        step=step,
        arguments=arguments,
        cli=settings.cli,
        profile=settings.profile,
        **operator_kwargs,
    )


def quality_gate(
    stage: str, suite: str, *, args: Sequence[str] = (), dates: Sequence[str] = DAY, **kwargs
) -> BaseOperator:
    """`quality-gate --suite <suite>` as task `quality_<stage>` (the one step that runs per stage).

    `--no-mail`: under Airflow the task's failure mail (alerts.py) is the one alert, with the same
    summary and report; the gate's own mail is for runs outside Airflow (`make task-quality-gate`).
    """
    args = ["--suite", suite, "--no-mail", *args]
    return step_task("quality-gate", task_id=f"quality_{stage}", args=args, dates=dates, **kwargs)
