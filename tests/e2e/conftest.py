"""End-to-end tests: the DAGs run by `airflow dags test` against a local stack (`make test-e2e`).

Each test module gets its own throwaway Airflow home (SQLite), so runs here never mix with the
history shown by `make airflow`. The services are those of STACK_HOME: `make test-e2e` (stack/e2e.sh)
gives the tests a stack of their own under .local/e2e; without STACK_HOME, the developer's `make up`.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: runs DAGs against the local stack (make test-e2e)")


# The daily run's own checks come first, on what that run wrote; the backfill then reuses the daily
# run as one of its single runs (it re-runs that date); the stubbed failed gate last.
MODULE_ORDER = ["test_daily_run.py", "test_backfill.py", "test_failed_gate.py"]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)
    rank = {name: i for i, name in enumerate(MODULE_ORDER)}
    items.sort(key=lambda item: rank.get(Path(item.fspath).name, len(rank)))  # stable within a module


def stack_env() -> dict[str, str]:
    """The environment every Airflow command of the project gets (stack/airflow.sh env)."""
    env_file = Path(os.environ.get("STACK_HOME", ROOT / ".local")) / "env"
    if not env_file.exists():
        pytest.fail(f"no {env_file}: run `make up` (make test-e2e does) before the e2e tests")
    script = 'source stack/lib.sh && load_env && eval "$(bash stack/airflow.sh env)" && env -0'
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, check=True).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


class Airflow:
    """`airflow ...` commands in one Airflow home, with the stack's connections."""

    def __init__(self, home: Path, **overrides: str):
        self.env = {**stack_env(), "AIRFLOW_HOME": str(home), **overrides}
        self.env["AIRFLOW__LOGGING__BASE_LOG_FOLDER"] = str(home / "logs")
        self.run("db", "migrate")

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["airflow", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0 and args[:2] != ("dags", "test"):
            output = done.stdout[-3000:] + done.stderr[-3000:]
            raise AssertionError(f"airflow {' '.join(args)} failed:\n{output}")
        return done

    def dags_test(self, dag_id: str, date: str, conf: dict | None = None, timeout: int = 1800):
        args = ["dags", "test", dag_id, date]
        if conf:
            args += ["--conf", json.dumps(conf)]
        return self.run(*args, timeout=timeout)

    def task_states(self, dag_id: str, date: str) -> dict[str, dict]:
        """task id -> {state, try_number} of the latest run for the logical date."""
        runs = json.loads(self._json("dags", "list-runs", dag_id, "-o", "json"))
        ours = [r for r in runs if (r.get("logical_date") or "").startswith(date)]
        run = max(ours, key=lambda r: r["run_after"])
        rows = json.loads(self._json("tasks", "states-for-dag-run", dag_id, run["run_id"], "-o", "json"))
        return {row["task_id"]: row for row in rows}

    def _json(self, *args: str) -> str:
        lines = self.run(*args).stdout.splitlines()
        return next(line for line in reversed(lines) if line.startswith("["))  # after any warnings


def inbox(env: dict[str, str], containing: str, timeout: float = 20) -> list[dict]:
    """Mails in the SMTP catcher whose subject or body contains `containing` (polls briefly)."""
    url = f"http://127.0.0.1:{env['SMTP_HTTP_PORT']}/api/email"
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url, timeout=5) as response:
            mails = json.load(response)
        found = [m for m in mails if containing in (m.get("subject", "") + m.get("html", ""))]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("airflow-e2e")


@pytest.fixture(scope="session")
def stack() -> dict[str, str]:
    env = stack_env()
    probe = subprocess.run(["bash", "stack/stack.sh", "status"], cwd=ROOT, capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail(f"the local stack is not running (make up):\n{probe.stdout}")
    # What the setup DAG does once per environment; idempotent, so a migrated warehouse is fine.
    migrate = subprocess.run(
        ["node", "tasks/dist/cli.js", "warehouse-migrate", "--xcom-path", "/dev/null", "--log-level", "warn"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if migrate.returncode != 0:
        pytest.fail(f"warehouse-migrate failed:\n{migrate.stdout[-2000:]}{migrate.stderr[-2000:]}")
    return env


def warehouse(env: dict[str, str], sql: str, **params: str) -> list[str]:
    """One psql query as the task role, parameters bound as psql variables (:'name'); first row."""
    variables = [a for k, v in params.items() for a in ("-v", f"{k}={v}")]
    connection = [
        "-h",
        env["PGHOST"],
        "-p",
        env["PGPORT"],
        "-U",
        env["WAREHOUSE_USER"],
        "-d",
        env["WAREHOUSE_DB"],
    ]
    out = subprocess.run(
        ["psql", *connection, "-At", "-F", "|", "-v", "ON_ERROR_STOP=1", *variables, "-f", "-"],
        input=sql,
        env={**env, "PGPASSWORD": env["WAREHOUSE_PASSWORD"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().split("|")


DAILY_DATE = "2022-04-30"


@pytest.fixture(scope="session")
def daily_run(stack, tmp_path_factory):
    """One `airflow dags test sales_pipeline 2022-04-30` in a throwaway Airflow home: the daily run's
    tests check it, and the backfill test counts it as the single run of its last date."""
    # The same file already stored under another ingest date, as a backfill leaves it: stream-produce
    # replays a content once, and the reconcile gate must count it once too.
    earlier = subprocess.run(
        ["node", "tasks/dist/cli.js", "ingest-raw", "--dt", "2022-04-29", "--xcom-path", "/dev/null"],
        cwd=ROOT,
        env=stack,
        capture_output=True,
        text=True,
    )
    assert earlier.returncode == 0, earlier.stderr[-2000:]
    airflow = Airflow(tmp_path_factory.mktemp("airflow-daily"))
    done = airflow.dags_test("sales_pipeline", DAILY_DATE)
    return done, airflow.task_states("sales_pipeline", DAILY_DATE)
