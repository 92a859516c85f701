"""The local runner: the task program as a subprocess on the Airflow worker.

It runs exactly what the pod runs (`node cli.js <step> --dt ... --run-id ...`), streams the step's
JSON log lines into the task log, and hands the step's result JSON to XCom as `return_value`, on
failure too, as KubernetesPodOperator does, so the failure mail can quote it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflow.providers.standard.hooks.subprocess import SubprocessHook
from airflow.sdk import BaseOperator

from sales_pipeline.outcomes import failure_for
from sales_pipeline.steps import node_env


def read_result(path: Path) -> dict[str, Any] | None:
    """The step's result JSON, or None when the step wrote none (e.g. `doctor`, or a usage error)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    try:
        value = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


class LocalStepOperator(BaseOperator):
    """Runs one pipeline step with `node <cli>`; exit codes map to outcomes via `failure_for`."""

    template_fields: Sequence[str] = ("arguments",)
    ui_color = "#e8f4fd"

    def __init__(self, *, step: str, arguments: Sequence[str], cli: str, profile: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.arguments = list(arguments)
        self.cli = cli
        self.profile = profile
        self._hook: SubprocessHook | None = None

    def command(self) -> list[str]:
        return ["node", self.cli, *self.arguments]

    def execute(self, context: Any) -> dict[str, Any] | None:
        self._hook = SubprocessHook()
        with tempfile.TemporaryDirectory(prefix=f"sales-pipeline-{self.step}-") as tmp:
            xcom = Path(tmp) / "return.json"
            env = {
                **os.environ,
                **node_env(self.step),
                "XCOM_PATH": str(xcom),
                "PIPELINE_PROFILE": self.profile,
            }
            outcome = self._hook.run_command(self.command(), env=env, cwd=tmp)
            result = read_result(xcom)
        if outcome.exit_code == 0:
            return result
        if result is not None:
            context["ti"].xcom_push(key="return_value", value=result)
        error = (result or {}).get("error") or {}
        raise failure_for(self.step, outcome.exit_code, str(error.get("message") or outcome.output))

    def on_kill(self) -> None:
        # SIGTERM lets the step stop between batches and write its result (tasks/src/runtime.ts).
        if self._hook is not None:
            self._hook.send_sigterm()
