"""The operator factory: one step name in, a local process or a pinned pod out."""

from __future__ import annotations

import pytest

from sales_pipeline.settings import load_settings
from sales_pipeline.steps import step_task, task_id_for

DUMMY_KUBECONFIG = """
apiVersion: v1
kind: Config
clusters: [{name: dummy, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: dummy, user: {token: not-a-real-token}}]
contexts: [{name: dummy, context: {cluster: dummy, user: dummy, namespace: default}}]
current-context: dummy
"""


@pytest.fixture
def kubeconfig(tmp_path, monkeypatch):
    path = tmp_path / "kubeconfig"
    path.write_text(DUMMY_KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(path))
    return path


def test_task_ids_are_step_names_with_underscores():
    assert task_id_for("warehouse-load") == "warehouse_load"
    assert task_id_for("doctor") == "doctor"


def test_an_unknown_runner_is_refused():
    with pytest.raises(ValueError, match="PIPELINE_RUNNER"):
        load_settings({"PIPELINE_RUNNER": "docker"})


def test_local_runner_runs_the_cli_with_the_templated_date_and_pushes_the_result():
    settings = load_settings({"PIPELINE_RUNNER": "local", "PIPELINE_CLI": "/opt/cli.js"})
    op = step_task("ingest-raw", args=["--source", "/data/a b.csv"], settings=settings)
    assert op.task_id == "ingest_raw"
    assert op.do_xcom_push is True
    command = op.bash_command
    assert (
        "node /opt/cli.js ingest-raw --dt {{ ds }} --run-id {{ run_id }} --source '/data/a b.csv'" in command
    )
    assert 'XCOM_PATH="$result"' in command


def test_kubernetes_runner_builds_a_pinned_pod_with_secrets_from_a_secret_ref(kubeconfig):
    settings = load_settings(
        {
            "PIPELINE_RUNNER": "kubernetes",
            "PIPELINE_IMAGE_REGISTRY": "registry.example.com/data",
            "PIPELINE_IMAGE_TAG": "1.2.3",
            "PIPELINE_NAMESPACE": "pipelines",
        }
    )
    op = step_task("warehouse-load", settings=settings)
    pod = op.build_pod_request_obj()
    container = pod.spec.containers[0]

    assert op.task_id == "warehouse_load"
    assert container.image == "registry.example.com/data/sales-pipeline-warehouse-load:1.2.3"
    assert container.args[:3] == ["warehouse-load", "--dt", "{{ ds }}"]
    assert "{{ run_id }}" in container.args
    assert pod.metadata.namespace == "pipelines"
    assert pod.spec.service_account_name == "sales-pipeline-tasks"
    assert container.resources.requests == {"cpu": "250m", "memory": "256Mi"}
    assert container.resources.limits == {"cpu": "1", "memory": "512Mi"}

    # Credentials only through a Secret reference; literal env values carry no secrets.
    assert [ref.secret_ref.name for ref in container.env_from] == ["sales-pipeline-credentials"]
    literal = {e.name: e.value for e in container.env if e.value is not None}
    assert literal.get("PIPELINE_PROFILE") == "aws"
    for name in literal:
        assert not any(word in name for word in ("PASSWORD", "SECRET", "KEY", "TOKEN")), name

    assert op.do_xcom_push is True
    assert op.get_logs is True
    assert op.on_finish_action.value == "delete_pod"
