"""The Kubernetes runner: one pod per task, from the step's own pinned image.

Everything a pod gets is fixed here, so DAGs only name the step: image, identity, resources,
non-secret configuration (literal env vars and a ConfigMap), credentials (a Secret, never a literal
value), a non-root read-only container, the result JSON read back from /airflow/xcom/return.json,
logs streamed into the task log and the pod deleted once it finished.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.secret import Secret
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException
from kubernetes.client import models as k8s

from sales_pipeline.outcomes import failure_for
from sales_pipeline.settings import Settings
from sales_pipeline.steps import node_env

# (requests, limits). Steps stream their data in bounded memory; glue-transform only drives the
# Glue API on AWS, the Spark work runs in Glue's workers.
SMALL = ({"cpu": "100m", "memory": "128Mi"}, {"cpu": "500m", "memory": "256Mi"})
DEFAULT = ({"cpu": "250m", "memory": "256Mi"}, {"cpu": "1", "memory": "512Mi"})
STREAMING = ({"cpu": "500m", "memory": "512Mi"}, {"cpu": "1", "memory": "1Gi"})
# stream-produce encodes on a second thread while its main thread reads, sends and commits
# (docs/ingest.md): a second CPU is what that thread runs on.
STREAM_PRODUCE = ({"cpu": "1", "memory": "512Mi"}, {"cpu": "2", "memory": "1Gi"})
# warehouse-load peaks at 282 MB RSS (269 MiB) on a 10M-line silver day with its heap caps
# (steps.py; bench/results/warehouse-memory.md): the request is that peak, the limit leaves headroom.
WAREHOUSE_LOAD = ({"cpu": "500m", "memory": "288Mi"}, {"cpu": "1", "memory": "384Mi"})
RESOURCES = {
    "doctor": SMALL,
    "glue-transform": SMALL,
    "stream-produce": STREAM_PRODUCE,
    "stream-land": STREAMING,
    "quality-gate": STREAMING,
    "warehouse-load": WAREHOUSE_LOAD,
}
USER_ID = 1000  # the `node` user of the step images (images/Dockerfile)


def image_for(step: str, settings: Settings) -> str:
    """`<registry>/sales-pipeline-<step>:<tag>`: one image per step, built by images/Dockerfile."""
    return f"{settings.image_registry}/sales-pipeline-{step}:{settings.image_tag}"


def container_exit_code(pod: Any, container: str) -> int | None:
    """Exit code of `container` in a finished pod, or None when the pod never got that far."""
    statuses = (pod.status.container_statuses if pod is not None and pod.status else None) or []
    for status in statuses:
        if status.name == container and status.state and status.state.terminated:
            return status.state.terminated.exit_code
    return None


class StepPodOperator(KubernetesPodOperator):
    """KubernetesPodOperator whose failures follow the step exit-code policy (outcomes.py)."""

    def __init__(self, *, step: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step = step

    def cleanup(self, pod, remote_pod, xcom_result=None, context=None) -> None:
        try:
            super().cleanup(pod, remote_pod, xcom_result=xcom_result, context=context)
        except (AirflowFailException, AirflowSkipException):
            raise
        except AirflowException as error:
            code = container_exit_code(remote_pod, self.base_container_name)
            raise failure_for(self.step, code, str(error).splitlines()[0]) from error


def _locked_down() -> k8s.V1SecurityContext:
    return k8s.V1SecurityContext(
        allow_privilege_escalation=False,
        read_only_root_filesystem=True,
        capabilities=k8s.V1Capabilities(drop=["ALL"]),
    )


def step_pod(step: str, task_id: str, arguments: list[str], settings: Settings, **kwargs: Any):
    """The pod operator of one step; `kwargs` are ordinary BaseOperator arguments."""
    requests, limits = RESOURCES.get(step, DEFAULT)
    return StepPodOperator(
        step=step,
        task_id=task_id,
        name=f"sales-pipeline-{step}",
        namespace=settings.namespace,
        service_account_name=settings.service_account,
        image=image_for(step, settings),
        image_pull_policy="IfNotPresent",
        arguments=arguments,
        env_vars={"PIPELINE_PROFILE": settings.profile, "LOG_LEVEL": "info", **node_env(step)},
        configmaps=[settings.config_map],
        secrets=[Secret(deploy_type="env", deploy_target=None, secret=settings.credentials_secret)],
        container_resources=k8s.V1ResourceRequirements(requests=requests, limits=limits),
        security_context=k8s.V1PodSecurityContext(
            run_as_non_root=True, run_as_user=USER_ID, run_as_group=USER_ID, fs_group=USER_ID
        ),
        container_security_context=_locked_down(),
        # The provider's sidecar (a pinned alpine) that reads /airflow/xcom/return.json.
        xcom_sidecar_container_security_context=_locked_down(),
        # The root filesystem is read-only; steps may still need a scratch folder.
        volumes=[k8s.V1Volume(name="tmp", empty_dir=k8s.V1EmptyDirVolumeSource(size_limit="1Gi"))],
        volume_mounts=[k8s.V1VolumeMount(name="tmp", mount_path="/tmp")],
        labels={"app.kubernetes.io/name": "sales-pipeline", "sales-pipeline/step": step},
        do_xcom_push=True,
        get_logs=True,
        on_finish_action="delete_pod",
        startup_timeout_seconds=300,
        # Steps stop between batches on SIGTERM and write their result; give them time to.
        termination_grace_period=60,
        **kwargs,
    )
