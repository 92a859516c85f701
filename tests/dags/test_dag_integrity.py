"""Every DAG imports cleanly, without I/O, and follows the house rules."""

from __future__ import annotations

import runpy
import sys
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from conftest import DAGS_FOLDER

from sales_pipeline.alerts import StepFailureNotifier
from sales_pipeline.steps import task_id_for

DAG_FILES = sorted(DAGS_FOLDER.glob("*.py"))


class ParseTimeIO(AssertionError):
    pass


@contextmanager
def io_forbidden():
    """Files, network, processes, Variables and Connections all raise while this is active."""

    def refuse(what: str):
        def raiser(*_args, **_kwargs):
            raise ParseTimeIO(f"{what} while a DAG file was parsed")

        return raiser

    targets = {
        "builtins.open": "a file was opened",
        "socket.socket.connect": "a network connection was opened",
        "subprocess.Popen": "a process was started",
        "airflow.sdk.Variable.get": "an Airflow Variable was read",
        "airflow.sdk.BaseHook.get_connection": "an Airflow Connection was read",
    }
    with ExitStack() as stack:
        for target, what in targets.items():
            stack.enter_context(patch(target, refuse(what)))
        yield


@pytest.mark.parametrize("runner", ["local", "kubernetes"])
@pytest.mark.parametrize("dag_file", DAG_FILES, ids=[f.stem for f in DAG_FILES])
def test_dag_files_do_no_io_while_parsed(dag_bag, dag_file: Path, runner: str, monkeypatch):
    # dag_bag has imported Airflow and the providers once already: some libraries do I/O when
    # first imported (croniter runs `file`), once per process, which is not what this is about.
    monkeypatch.setenv("PIPELINE_RUNNER", runner)
    # Re-import the plugin package too, so its module-level code runs under the same rule.
    saved = {name: mod for name, mod in sys.modules.items() if name.startswith("sales_pipeline")}
    for name in saved:
        del sys.modules[name]
    try:
        with io_forbidden():
            runpy.run_path(str(dag_file), run_name=f"parse_{dag_file.stem}")
    finally:
        sys.modules.update(saved)


def test_the_io_guard_catches_a_file_read(tmp_path):
    dag_file = tmp_path / "reads_a_file.py"
    dag_file.write_text("open('/etc/hostname').read()\n")
    with io_forbidden(), pytest.raises(ParseTimeIO, match="a file was opened"):
        runpy.run_path(str(dag_file))


def test_dag_files_import_without_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert set(dag_bag.dag_ids) == {f.stem for f in DAG_FILES}


def test_dag_id_equals_the_file_stem(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert Path(dag.fileloc).stem == dag_id


def test_every_dag_has_docs_tags_and_bounded_concurrency(dag_bag):
    for dag in dag_bag.dags.values():
        assert dag.doc_md and dag.doc_md.strip(), dag.dag_id
        assert "sales-pipeline" in dag.tags, dag.dag_id
        assert 1 <= dag.max_active_runs <= 4, dag.dag_id


def test_every_task_has_an_owner_retries_with_backoff_a_timeout_and_the_failure_mail(dag_bag):
    for dag in dag_bag.dags.values():
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            assert task.owner not in ("", "airflow"), where
            assert task.retries >= 2, where
            assert task.retry_exponential_backoff >= 2, where
            assert timedelta(0) < task.execution_timeout <= timedelta(hours=6), where
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert any(isinstance(c, StepFailureNotifier) for c in callbacks), where


def test_task_ids_are_step_names_except_quality_gates_named_by_stage(dag_bag):
    for dag in dag_bag.dags.values():
        for task in dag.tasks:
            if task.step != "quality-gate":
                assert task.task_id == task_id_for(task.step), task.task_id
                continue
            stage = task.task_id.removeprefix("quality_")
            assert task.task_id.startswith("quality_"), task.task_id
            suite = task.arguments[task.arguments.index("--suite") + 1]
            # The order-line stages gate <stage>_order_lines; the model features have a suite per table.
            features = {
                "features": "features_customer_segments",
                "product_features": "features_product_segments",
            }
            assert suite == features.get(stage, f"{stage}_order_lines"), task.task_id
