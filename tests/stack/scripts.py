"""Running the project's shell scripts from the stack tests."""

import subprocess
from pathlib import Path
from subprocess import CompletedProcess

ROOT = Path(__file__).resolve().parents[2]


def run_script(script: str, env: dict[str, str], *args: str, timeout: int) -> CompletedProcess[str]:
    """`bash <ROOT>/<script> <args>` with this environment, its output captured as text."""
    return subprocess.run(
        ["bash", str(ROOT / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
