"""The local stack's lifecycle, on a second stack with its own folder and ports.

Runs beside the developer's stack (ports shifted by +750) so it never disturbs it, nor the e2e
tier's stack (+250), the demo smoke's (+500) or a second checkout's (offsets in thousands).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from scripts import run_script

ROOT = Path(__file__).resolve().parents[2]
PORT_KEYS = ("PGPORT", "KAFKA_CONTROLLER_PORT", "SMTP_PORT", "SMTP_HTTP_PORT")


def run_stack(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_script("stack/stack.sh", env, *args, timeout=300)


def processes_under(folder: Path) -> dict[int, str]:
    """Live processes whose command line mentions the folder (our services all do), by pid."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(folder) in cmdline:
            found[int(proc.name)] = cmdline
    return found


def run_make(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def assert_stopped(pids: set[int], home: Path) -> None:
    """None of the pids is alive, nor any process that mentions the home."""
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == []
    assert processes_under(home) == {}


def shifted_env(home: Path, shift: int) -> tuple[dict[str, str], dict[str, str]]:
    """A stack's env file under `home` (stack/env.sh) with every port moved by `shift`."""
    env = {**os.environ, "STACK_HOME": str(home)}
    subprocess.run(["bash", str(ROOT / "stack/env.sh")], env=env, check=True)
    env_file = home / "env"
    text = env_file.read_text()

    def move(match: re.Match[str]) -> str:
        return f"{match.group(1)}{int(match.group(2)) + shift}"

    keys = "|".join(PORT_KEYS)
    text = re.sub(rf"^((?:{keys})=)(\d+)$", move, text, flags=re.M)
    text = re.sub(r"(127\.0\.0\.1:)(\d+)", move, text)
    env_file.write_text(text)
    values = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )
    return env, values


@pytest.fixture(scope="module")
def stack_env():
    home = ROOT / ".local" / f"test-stack-{os.getpid()}"
    env, values = shifted_env(home, 750)
    yield env, home, values
    run_stack(env, "down")
    # The cluster may live outside the home (/var/lib/sales-pipeline/, stack/postgres.sh): purge it too.
    subprocess.run(["bash", str(ROOT / "stack/postgres.sh"), "purge"], env=env, check=False)
    subprocess.run(["rm", "-rf", str(home)], check=False)


def test_a_taken_port_fails_up_naming_the_service_and_its_log(stack_env):
    env, home, values = stack_env
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", int(values["PGPORT"])))
        squatter.listen()
        result = run_stack(env, "up")
    assert result.returncode != 0
    assert "ERROR postgres" in result.stderr
    assert f"127.0.0.1:{values['PGPORT']} is already in use" in result.stderr
    assert str(home / "postgres" / "postgres.log") in result.stderr


def test_up_twice_is_harmless_and_every_service_is_healthy(stack_env):
    env, _, _ = stack_env
    first = run_stack(env, "up")
    assert first.returncode == 0, first.stderr
    second = run_stack(env, "up")
    assert second.returncode == 0, second.stderr
    for service in ("postgres", "s3", "kafka", "smtp"):
        assert re.search(rf"{service}.*already running", second.stderr), second.stderr
    status = run_stack(env, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    for service in ("postgres", "s3", "kafka", "smtp"):
        assert re.search(rf"^{service}\s+running", status.stdout, re.M), status.stdout


def service_processes(home: Path) -> set[int]:
    """The pids of every service's process group, from the pid files."""
    groups = {int(p.read_text()) for p in home.glob("*/*.pid")}
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if os.getpgid(int(proc.name)) in groups:
                    found.add(int(proc.name))
            except ProcessLookupError:
                continue
    return found


def test_make_down_stops_the_e2e_stack_as_well(stack_env, tmp_path):
    """`make down` stops the e2e tier's stack beside the developer's: here the test's stack stands in
    for the e2e one (E2E_HOME), and an empty folder for the developer's (nothing of theirs is touched)."""
    env, home, _ = stack_env
    before = service_processes(home)
    assert len(before) >= 4, "the stack should be running before make down"
    result = run_make(ROOT, {**env, "STACK_HOME": str(tmp_path)}, "down", f"E2E_HOME={home}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_stopped(before, home)
    # Up again for the test that follows.
    again = run_stack(env, "up")
    assert again.returncode == 0, again.stderr


def test_down_leaves_no_process_behind(stack_env):
    env, home, _ = stack_env
    before = service_processes(home)
    assert len(before) >= 4, "the stack should be running before down"
    result = run_stack(env, "down")
    assert result.returncode == 0, result.stderr
    assert_stopped(before, home)
    assert not list(home.glob("*/*.pid"))
    status = run_stack(env, "status")
    assert status.returncode != 0
    assert re.search(r"^postgres\s+stopped", status.stdout, re.M)


def test_make_clean_stops_and_deletes_the_e2e_stack_of_its_checkout(tmp_path):
    """`make clean` in a checkout (the working tree's Makefile and stack scripts copied, so nothing
    of the developer's is deleted) stops the e2e tier's stack under its .local/e2e, purges that
    stack's cluster and deletes .local."""
    clone = tmp_path / "checkout"
    clone.mkdir()
    shutil.copy(ROOT / "Makefile", clone / "Makefile")
    # The scripts copied; their installed packages (the SMTP catcher's) linked, not copied.
    shutil.copytree(ROOT / "stack", clone / "stack", ignore=shutil.ignore_patterns("node_modules"))
    for modules in (ROOT / "stack").glob("*/node_modules"):
        (clone / modules.relative_to(ROOT)).symlink_to(modules)
    e2e = clone / ".local" / "e2e"
    env, _ = shifted_env(e2e, 875)
    up = run_stack(env, "up")
    assert up.returncode == 0, up.stderr
    started = service_processes(e2e)
    assert len(started) >= 4, "the e2e stack should be running before make clean"
    # Where its cluster lives (the postmaster's -D): inside the home, or outside when root's
    # postgres user cannot enter it (stack/postgres.sh).
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in started]
    data = next(c[c.index(b"-D") + 1].decode() for c in commands if b"-D" in c)
    try:
        result = run_make(clone, {k: v for k, v in os.environ.items() if k != "STACK_HOME"}, "clean")
        assert result.returncode == 0, result.stdout + result.stderr
        assert_stopped(started, e2e)
        assert not (clone / ".local").exists()
        assert not Path(data).exists()
    finally:
        # Whatever make clean left running (its pid files may be gone with .local) is stopped.
        for pid in processes_under(e2e):
            os.kill(pid, signal.SIGKILL)
