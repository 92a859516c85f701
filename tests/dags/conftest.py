"""DAG tests run without services: a throwaway AIRFLOW_HOME, the repo's dags/ and plugins/."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = Path(os.environ.get("SALES_PIPELINE_DAGS", ROOT / "dags"))

# Must happen before the first `import airflow`.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="airflow-test-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("PIPELINE_RUNNER", "local")
sys.path.insert(0, str(ROOT / "plugins"))

# A kubeconfig naming a cluster that does not exist: pods are built, never sent. The kubernetes
# client reads KUBECONFIG once, when first imported, so it is set here, before any test imports it.
DUMMY_KUBECONFIG = """
apiVersion: v1
kind: Config
clusters: [{name: dummy, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: dummy, user: {token: not-a-real-token}}]
contexts: [{name: dummy, context: {cluster: dummy, user: dummy, namespace: default}}]
current-context: dummy
"""
KUBECONFIG = Path(os.environ["AIRFLOW_HOME"]) / "kubeconfig"
KUBECONFIG.write_text(DUMMY_KUBECONFIG)
os.environ["KUBECONFIG"] = str(KUBECONFIG)


@pytest.fixture
def kubeconfig():
    """The dummy kubeconfig (pod tests name it so the dependency is visible)."""
    return KUBECONFIG


def load_dag_bag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="session")
def dag_bag():
    return load_dag_bag()
