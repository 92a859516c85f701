"""Exit codes decide the task's fate the same way for both runners: 1 and 2 fail at once, 3 retries."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from sales_pipeline.local import LocalStepOperator
from sales_pipeline.outcomes import failure_for
from sales_pipeline.pods import StepPodOperator

# A stand-in for tasks/dist/cli.js: logs a line, writes the result it is given, exits as told.
FAKE_CLI = """
const fs = require('node:fs');
console.log(JSON.stringify({ level: 'info', msg: 'fake step', argv: process.argv.slice(2) }));
if (process.env.FAKE_RESULT) fs.writeFileSync(process.env.XCOM_PATH, process.env.FAKE_RESULT + '\\n');
process.exitCode = Number(process.env.FAKE_EXIT || 0);
"""


class RecordingTI:
    def __init__(self):
        self.pushed: dict[str, object] = {}

    def xcom_push(self, key, value):
        self.pushed[key] = value


@pytest.fixture
def run_local(tmp_path, monkeypatch):
    cli = tmp_path / "cli.js"
    cli.write_text(FAKE_CLI)

    def run(exit_code: int, result: dict | None):
        monkeypatch.setenv("FAKE_EXIT", str(exit_code))
        if result is None:
            monkeypatch.delenv("FAKE_RESULT", raising=False)
        else:
            monkeypatch.setenv("FAKE_RESULT", json.dumps(result))
        op = LocalStepOperator(
            task_id="quality_bronze",
            step="quality-gate",
            arguments=["quality-gate", "--dt", "2022-04-30"],
            cli=str(cli),
            profile="local",
        )
        ti = RecordingTI()
        return op, ti, (lambda: op.execute({"ti": ti}))

    return run


def test_a_step_that_succeeds_returns_its_result_for_xcom(run_local):
    result = {"step": "quality-gate", "status": "succeeded", "counts": {"rows": 3}}
    _, ti, execute = run_local(0, result)
    assert execute() == result
    assert ti.pushed == {}, "the runner returns it; Airflow pushes return values itself"


def test_a_failed_gate_fails_without_retry_and_still_pushes_its_result(run_local):
    result = {"step": "quality-gate", "status": "rejected", "error": {"message": "3 of 20 failed"}}
    _, ti, execute = run_local(1, result)
    with pytest.raises(AirflowFailException, match="exited 1 .*3 of 20 failed"):
        execute()
    assert ti.pushed["return_value"] == result


def test_a_configuration_error_fails_without_retry(run_local):
    _, _, execute = run_local(2, None)
    with pytest.raises(AirflowFailException, match="exited 2"):
        execute()


@pytest.mark.parametrize("code", [3, 143, 7])
def test_a_crash_is_retried(run_local, code):
    _, ti, execute = run_local(code, {"status": "failed", "error": {"message": "boom"}})
    with pytest.raises(AirflowException) as raised:
        execute()
    assert not isinstance(raised.value, AirflowFailException)
    assert ti.pushed["return_value"]["status"] == "failed"


def test_a_step_without_a_result_file_succeeds_with_nothing_to_push(run_local):
    _, _, execute = run_local(0, None)
    assert execute() is None


def test_the_policy_names_what_to_do():
    assert "clear the task" in str(failure_for("warehouse-load", 1))
    assert type(failure_for("warehouse-load", None)) is AirflowException


def finished_pod(exit_code: int):
    terminated = SimpleNamespace(exit_code=exit_code, reason="Error", message=None)
    status = SimpleNamespace(name="base", state=SimpleNamespace(terminated=terminated))
    return SimpleNamespace(
        metadata=SimpleNamespace(name="p", namespace="n", annotations={}, labels={}),
        status=SimpleNamespace(phase="Failed", container_statuses=[status]),
        spec=SimpleNamespace(containers=[]),
    )


@pytest.mark.parametrize(("code", "retried"), [(1, False), (2, False), (3, True)])
def test_a_pod_exit_code_follows_the_same_policy(kubeconfig, monkeypatch, code, retried):
    op = StepPodOperator(step="quality-gate", task_id="quality_bronze", image="x:1", do_xcom_push=False)
    # Talking to the cluster is not what this test is about.
    for method in ("patch_already_checked", "process_pod_deletion", "is_istio_enabled"):
        monkeypatch.setattr(op, method, lambda *a, **k: False)
    with pytest.raises(AirflowException) as raised:
        op.cleanup(finished_pod(code), finished_pod(code))
    assert isinstance(raised.value, AirflowFailException) is not retried
    assert f"exited {code}" in str(raised.value)
