"""psql as the benchmark's SQL client (the main Python environment has no PostgreSQL driver)."""

from __future__ import annotations

import os
import re
import subprocess


def psql(script: str, timing: bool = False) -> str:
    """Runs SQL through psql as the task role (credentials from .local/env, exported by run.sh).

    Returns psql's unaligned output; stops at the first error.
    """
    env = {**os.environ, "PGPASSWORD": os.environ["WAREHOUSE_PASSWORD"]}
    head = "\\timing on\n" if timing else ""
    run = subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            os.environ["PGHOST"],
            "-p",
            os.environ["PGPORT"],
            "-U",
            os.environ["WAREHOUSE_USER"],
            os.environ["WAREHOUSE_DB"],
        ],
        input=head + script,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"psql failed: {run.stderr.strip()[-2000:]}")
    return run.stdout


def timings(output: str) -> list[float]:
    """The `Time: 12.345 ms` lines of a psql run with timing on, in milliseconds."""
    return [float(m) for m in re.findall(r"^Time: ([\d.]+) ms", output, re.M)]


def literal(value: object) -> str:
    """A SQL literal for a benchmark parameter (fixed values of this script, never user input)."""
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"
