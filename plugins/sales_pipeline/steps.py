"""The one factory that turns a pipeline step into an Airflow operator.

DAGs pass only a step name and its arguments. The runner decides how the step runs:
- local: the task program as a subprocess on the Airflow worker (the local stack);
- kubernetes: a pod from the step's pinned image, credentials from a Kubernetes Secret.
Either way the step gets `--dt {{ ds }}` and the run id, and its result JSON comes back as XCom.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from airflow.sdk import BaseOperator

from sales_pipeline.settings import Settings, load_settings

DATE_ARGS = ("--dt", "{{ ds }}")


def task_id_for(step: str) -> str:
    """CLI step `warehouse-load` is Airflow task `warehouse_load`."""
    return step.replace("-", "_")


def step_arguments(step: str, args: Sequence[str], with_date: bool) -> list[str]:
    return [step, *(DATE_ARGS if with_date else ()), "--run-id", "{{ run_id }}", *args]


def step_task(
    step: str,
    *,
    args: Sequence[str] = (),
    with_date: bool = True,
    settings: Settings | None = None,
    **operator_kwargs,
) -> BaseOperator:
    """Build the operator that runs `sales-pipeline <step>` for the task's logical date."""
    settings = settings or load_settings()
    arguments = step_arguments(step, args, with_date)
    if settings.runner == "kubernetes":
        return _pod(step, arguments, settings, **operator_kwargs)
    return _local(step, arguments, settings, **operator_kwargs)


def _local(step: str, arguments: list[str], settings: Settings, **kwargs) -> BaseOperator:
    from airflow.providers.standard.operators.bash import BashOperator

    command = " ".join(shlex.quote(a) if "{{" not in a else a for a in arguments)
    # Logs go to stderr (the task log); the last stdout line is the result JSON, pushed to XCom.
    script = f"""set -euo pipefail
result="$(mktemp)"; trap 'rm -f "$result"' EXIT
XCOM_PATH="$result" PIPELINE_PROFILE={shlex.quote(settings.profile)} \\
  node {shlex.quote(settings.cli)} {command} >&2
if [ -s "$result" ]; then tr -d '\\n' < "$result"; echo; fi
"""
    return BashOperator(task_id=task_id_for(step), bash_command=script, do_xcom_push=True, **kwargs)


def _pod(step: str, arguments: list[str], settings: Settings, **kwargs) -> BaseOperator:
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
    from airflow.providers.cncf.kubernetes.secret import Secret
    from kubernetes.client import models as k8s

    return KubernetesPodOperator(
        task_id=task_id_for(step),
        name=f"sales-pipeline-{step}",
        namespace=settings.namespace,
        service_account_name=settings.service_account,
        image=f"{settings.image_registry}/sales-pipeline-{step}:{settings.image_tag}",
        image_pull_policy="IfNotPresent",
        arguments=arguments,
        env_vars={"PIPELINE_PROFILE": settings.profile, "LOG_LEVEL": "info"},
        secrets=[Secret(deploy_type="env", deploy_target=None, secret=settings.credentials_secret)],
        container_resources=k8s.V1ResourceRequirements(
            requests={"cpu": "250m", "memory": "256Mi"},
            limits={"cpu": "1", "memory": "512Mi"},
        ),
        labels={"app.kubernetes.io/name": "sales-pipeline", "sales-pipeline/step": step},
        do_xcom_push=True,
        get_logs=True,
        on_finish_action="delete_pod",
        startup_timeout_seconds=300,
        **kwargs,
    )
