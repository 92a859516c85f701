"""How a step's exit code becomes an Airflow outcome: one policy for the local and the pod runner.

The task program's exit codes (tasks/src/errors.ts) say whether trying again can help:
- 1: input rejected or quality gate failed. The data will be the same in a minute, so a retry only
  delays the alert and repeats the failure mail; the task fails at once (AirflowFailException).
- 2: usage or configuration error (a flag, a missing secret). Same reasoning: fail at once.
- 3 (a crash, a service that stayed unreachable) and 130/143 (interrupted): transient as far as
  we can tell, so Airflow retries with exponential backoff.
After fixing the data, the suite or the configuration, clear the task to run it again.
"""

from __future__ import annotations

from airflow.sdk.exceptions import AirflowException, AirflowFailException

NO_RETRY = {
    1: "input rejected or quality gate failed",
    2: "usage or configuration error",
}
RETRY = {
    3: "crash or a service that stayed unreachable",
    130: "interrupted (SIGINT)",
    143: "terminated (SIGTERM)",
}


def failure_for(step: str, exit_code: int | None, detail: str = "") -> AirflowException:
    """The exception that ends a task whose step exited with `exit_code` (None: unknown)."""
    suffix = f": {detail}" if detail else ""
    if exit_code in NO_RETRY:
        return AirflowFailException(
            f"{step} exited {exit_code} ({NO_RETRY[exit_code]}); not retried, a retry would see the "
            f"same data and configuration. Fix the cause, then clear the task{suffix}"
        )
    reason = RETRY.get(exit_code, "unexpected exit") if exit_code is not None else "no exit code"
    return AirflowException(f"{step} exited {exit_code} ({reason}); Airflow retries it{suffix}")
