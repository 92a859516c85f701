"""The operator factory: one step name in, a local process or a pinned pod out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sales_pipeline.local import LocalStepOperator
from sales_pipeline.pods import StepPodOperator
from sales_pipeline.settings import load_settings
from sales_pipeline.steps import NO_DATE, NODE_OPTIONS, quality_gate, step_task, task_id_for

SECRETISH = ("PASSWORD", "SECRET", "KEY", "TOKEN", "CREDENTIAL")


def kubernetes_settings(**extra):
    return load_settings(
        {
            "PIPELINE_RUNNER": "kubernetes",
            "PIPELINE_IMAGE_REGISTRY": "registry.example.com/data",
            "PIPELINE_IMAGE_TAG": "1.2.3",
            "PIPELINE_NAMESPACE": "pipelines",
            **extra,
        }
    )


def test_task_ids_are_step_names_with_underscores():
    assert task_id_for("warehouse-load") == "warehouse_load"
    assert task_id_for("doctor") == "doctor"


def test_an_unknown_runner_and_an_unpinned_image_tag_are_refused():
    with pytest.raises(ValueError, match="PIPELINE_RUNNER"):
        load_settings({"PIPELINE_RUNNER": "docker"})
    with pytest.raises(ValueError, match="PIPELINE_IMAGE_TAG"):
        load_settings({"PIPELINE_IMAGE_TAG": "latest"})


def test_local_runner_runs_the_cli_with_the_templated_date_and_run_id():
    settings = load_settings({"PIPELINE_RUNNER": "local", "PIPELINE_CLI": "/opt/cli.js"})
    op = step_task("ingest-raw", args=["--source", "/data/a b.csv"], settings=settings)
    assert isinstance(op, LocalStepOperator)
    assert op.task_id == "ingest_raw"
    assert op.command() == [
        "node",
        "/opt/cli.js",
        "ingest-raw",
        "--dt",
        "{{ ds }}",
        "--run-id",
        "{{ run_id }}",
        "--source",
        "/data/a b.csv",  # one argument: no shell in between
    ]
    assert "arguments" in op.template_fields


def test_a_quality_gate_is_named_by_stage_and_runs_its_suite():
    settings = load_settings({"PIPELINE_RUNNER": "local"})
    op = quality_gate("silver", "silver_order_lines", args=["--dataset", "x"], settings=settings)
    assert op.task_id == "quality_silver"
    assert op.step == "quality-gate"
    assert op.arguments[:3] == ["quality-gate", "--dt", "{{ ds }}"]
    assert op.arguments[-5:] == ["--suite", "silver_order_lines", "--no-mail", "--dataset", "x"]


def test_kubernetes_runner_builds_a_pinned_pod_with_the_templated_date(kubeconfig):
    args = ["--dataset", "{{ params.dataset }}"]
    op = step_task("warehouse-load", args=args, settings=kubernetes_settings())
    assert isinstance(op, StepPodOperator)
    pod = op.build_pod_request_obj()
    container = pod.spec.containers[0]

    assert op.task_id == "warehouse_load"
    assert container.image == "registry.example.com/data/sales-pipeline-warehouse-load:1.2.3"
    assert container.args[:3] == ["warehouse-load", "--dt", "{{ ds }}"]
    assert container.args[container.args.index("--run-id") + 1] == "{{ run_id }}"
    assert container.args[-2:] == ["--dataset", "{{ params.dataset }}"]
    assert not container.command, "the image's entrypoint runs the task program"
    assert pod.metadata.namespace == "pipelines"
    assert pod.spec.service_account_name == "sales-pipeline-tasks"
    assert pod.metadata.labels["sales-pipeline/step"] == "warehouse-load"


def test_every_step_image_is_pinned_to_a_release_never_latest(kubeconfig):
    for tag in ("1.2.3", "sha256-abc", "0.1.0"):
        op = step_task("stream-land", settings=kubernetes_settings(PIPELINE_IMAGE_TAG=tag))
        image = op.build_pod_request_obj().spec.containers[0].image
        assert re.fullmatch(r"[\w./-]+/sales-pipeline-stream-land:[\w.-]+", image), image
        assert not image.endswith(":latest")


def test_pod_credentials_come_only_from_a_secret_reference(kubeconfig):
    pod = step_task("quality-gate", settings=kubernetes_settings()).build_pod_request_obj()
    container = pod.spec.containers[0]
    secret_refs = [ref.secret_ref.name for ref in container.env_from if ref.secret_ref]
    config_maps = [ref.config_map_ref.name for ref in container.env_from if ref.config_map_ref]
    assert secret_refs == ["sales-pipeline-credentials"]
    assert config_maps == ["sales-pipeline-config"]
    literal = {e.name: e.value for e in container.env or [] if e.value is not None}
    assert literal == {
        "PIPELINE_PROFILE": "aws",
        "LOG_LEVEL": "info",
        "NODE_OPTIONS": NODE_OPTIONS["quality-gate"],
    }
    for name in literal:
        assert not any(word in name for word in SECRETISH), name
    for var in container.env or []:
        if var.value_from is not None:
            assert var.value_from.secret_key_ref is not None or var.value_from.field_ref is not None


@pytest.mark.parametrize(
    ("step", "requests", "limits"),
    [
        ("warehouse-load", {"cpu": "500m", "memory": "288Mi"}, {"cpu": "1", "memory": "384Mi"}),
        ("quality-gate", {"cpu": "500m", "memory": "512Mi"}, {"cpu": "1", "memory": "1Gi"}),
        ("stream-produce", {"cpu": "1", "memory": "512Mi"}, {"cpu": "2", "memory": "1Gi"}),
        ("glue-transform", {"cpu": "100m", "memory": "128Mi"}, {"cpu": "500m", "memory": "256Mi"}),
    ],
)
def test_every_pod_has_requests_and_limits(kubeconfig, step, requests, limits):
    container = step_task(step, settings=kubernetes_settings()).build_pod_request_obj().spec.containers[0]
    assert container.resources.requests == requests
    assert container.resources.limits == limits


def test_pods_run_as_non_root_on_a_read_only_filesystem(kubeconfig):
    pod = step_task("stream-produce", settings=kubernetes_settings()).build_pod_request_obj()
    assert pod.spec.security_context.run_as_non_root is True
    assert pod.spec.security_context.run_as_user == 1000
    for container in pod.spec.containers:  # the step and the XCom sidecar
        assert container.security_context.allow_privilege_escalation is False, container.name
        assert container.security_context.read_only_root_filesystem is True, container.name
        assert container.security_context.capabilities.drop == ["ALL"], container.name
    mounts = {m.mount_path for m in pod.spec.containers[0].volume_mounts}
    assert {"/tmp", "/airflow/xcom"} <= mounts


def test_pods_return_their_result_stream_logs_and_are_deleted(kubeconfig):
    op = step_task("doctor", dates=NO_DATE, settings=kubernetes_settings())
    assert op.do_xcom_push is True
    assert op.get_logs is True
    assert op.on_finish_action.value == "delete_pod"
    assert op.startup_timeout_seconds == 300
    assert op.termination_grace_period == 60
    assert "--dt" not in op.arguments


def test_the_quality_gates_heap_caps_reach_its_node_under_both_runners(kubeconfig, tmp_path):
    pod_env = {
        step: {
            e.name: e.value
            for e in step_task(step, settings=kubernetes_settings())
            .build_pod_request_obj()
            .spec.containers[0]
            .env
        }
        for step in ("quality-gate", "warehouse-load")
    }
    assert pod_env["quality-gate"]["NODE_OPTIONS"] == "--max-old-space-size=192 --max-semi-space-size=8"
    assert pod_env["warehouse-load"]["NODE_OPTIONS"] == "--max-old-space-size=160 --max-semi-space-size=8"

    # The local runner: a stand-in CLI reports the heap limit its V8 got.
    cli = tmp_path / "cli.js"
    cli.write_text(
        "const v8 = require('node:v8');"
        "require('node:fs').writeFileSync(process.env.XCOM_PATH,"
        " JSON.stringify({ heapMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 }));"
    )
    limits = {}
    for step in ("quality-gate", "warehouse-load", "doctor"):
        op = LocalStepOperator(task_id="t", step=step, arguments=[step], cli=str(cli), profile="local")
        limits[step] = op.execute({"ti": None})["heapMb"]
    assert 192 <= limits["quality-gate"] < 256, limits
    assert 160 <= limits["warehouse-load"] < 192, limits
    assert limits["doctor"] > 256, limits


def test_make_task_quality_gate_uses_the_runners_heap_caps():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if x.startswith("QUALITY_NODE_OPTIONS :="))
    assert line.split(":=", 1)[1].strip() == NODE_OPTIONS["quality-gate"]
