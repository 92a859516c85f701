"""Every DAG imports cleanly, without I/O, and follows the house rules."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from conftest import DAGS_FOLDER


class NetworkAtParseTime(AssertionError):
    pass


@pytest.fixture(scope="module")
def dag_bag():
    from airflow.dag_processing.dagbag import DagBag

    def refuse(*_args, **_kwargs):
        raise NetworkAtParseTime("a DAG file opened a network connection while being parsed")

    original = socket.socket.connect
    socket.socket.connect = refuse
    try:
        return DagBag(dag_folder=str(DAGS_FOLDER))
    finally:
        socket.socket.connect = original


def test_dag_files_import_without_errors_or_network(dag_bag):
    assert dag_bag.import_errors == {}


def test_there_is_at_least_one_dag(dag_bag):
    assert dag_bag.dag_ids


def test_dag_id_equals_the_file_stem(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert Path(dag.fileloc).stem == dag_id


def test_every_dag_has_docs_and_tags(dag_bag):
    for dag in dag_bag.dags.values():
        assert dag.doc_md, dag.dag_id
        assert dag.tags, dag.dag_id


def test_every_task_has_an_owner_retries_and_a_failure_callback(dag_bag):
    for dag in dag_bag.dags.values():
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            assert task.owner not in ("", "airflow"), where
            assert task.retries >= 2, where
            assert task.on_failure_callback, where


def test_task_ids_are_step_names(dag_bag):
    for dag in dag_bag.dags.values():
        for task in dag.tasks:
            assert task.task_id == task.task_id.lower().replace("-", "_"), task.task_id
