"""make test's lanes (stack/test-lanes.sh): exit codes, and the closing digest of what failed.

A CI log is often read from its tail only. These tests run the lanes with a stand-in `make` on
PATH whose tiers print what jest, pytest or a plain command print when they fail, and check that
the last lines name the failed test and its error, and nothing of the tiers that passed.
"""

import os
import subprocess
from pathlib import Path

from scripts import run_script

ROOT = Path(__file__).resolve().parents[2]

JEST_FAILURE = (
    """\
PASS integration test/integration/kafka.test.ts
FAIL integration test/integration/exactly-once.test.ts (61.2 s)
  ● exactly once › SIGKILL of the producer, then a re-run

    expect(received).toEqual(expected) // deep equality

    - Expected  - 1
    + Received  + 1

    -   "code": 0,
    +   "code": 1,

      179 |     const last = await runStepCli([...argv, ...topics.produce]);
      at Object.<anonymous> (test/integration/exactly-once.test.ts:181:56)

PASS integration test/integration/s3.test.ts
"""
    + "".join(f"PASS integration test/integration/filler-{i}.test.ts\n" for i in range(40))
    + """\
Tests:       1 failed, 82 passed, 83 total
"""
)

PYTEST_FAILURE = """\
PASS integration test/integration/s3.test.ts
  ● Console

    console.log
      a test that logged
Tests:       83 passed, 83 total
..F.
E       AssertionError: 3 != 4
FAILED tests/sql/test_thing.py::test_counts - AssertionError: 3 != 4
1 failed, 3 passed
"""

FAKE_MAKE = f"""#!/usr/bin/env bash
tier="${{@: -1}}"
case "$tier" in
  pass-*) echo "all good in $tier"; exit 0 ;;
  jest-fails) cat <<'EOF'
{JEST_FAILURE}EOF
    exit 1 ;;
  pytest-fails) cat <<'EOF'
{PYTEST_FAILURE}EOF
    exit 1 ;;
  plain-fails) seq 1 40 | sed 's/^/line /'; echo "make: *** [Makefile:1: plain-fails] Error 2"; exit 2 ;;
esac
echo "unknown tier $tier"; exit 9
"""


def lanes(tmp_path: Path, *lanes_: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "make"
    fake.write_text(FAKE_MAKE)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TEST_LOGS": str(tmp_path / "logs")}
    return run_script("stack/test-lanes.sh", env, *lanes_, timeout=60)


def tail(out: str, n: int = 25) -> str:
    return "\n".join(out.splitlines()[-n:])


def digest(out: str) -> str:
    """The lines from the first "what failed" on (the tier logs printed whole come before)."""
    return out[out.index("what failed") :]


def test_every_tier_passing_exits_0_with_no_digest(tmp_path: Path) -> None:
    done = lanes(tmp_path, "pass-a pass-b", "pass-c")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every tier passed" in done.stdout
    assert "what failed" not in done.stdout


def test_the_tail_names_the_failed_jest_test_and_its_error(tmp_path: Path) -> None:
    done = lanes(tmp_path, "pass-a jest-fails pass-never", "pass-c")
    assert done.returncode == 1
    end = tail(done.stdout)
    assert "what failed in jest-fails" in end
    assert "FAIL integration test/integration/exactly-once.test.ts" in digest(done.stdout)
    assert "● exactly once › SIGKILL of the producer, then a re-run" in end
    assert '+   "code": 1,' in end
    # Stack frames and the passing suites stay out of the digest.
    assert "at Object.<anonymous>" not in digest(done.stdout)
    assert "filler-39" not in digest(done.stdout)
    assert "what failed in pass-" not in done.stdout
    # The lane stopped at its failed tier; the other lane ran to its end.
    assert "pass-never started" not in done.stdout
    assert "pass-c passed" in done.stdout
    assert (tmp_path / "logs" / "jest-fails.log").exists()


def test_the_tail_names_pytest_failures_and_plain_failures(tmp_path: Path) -> None:
    # The pytest tier's log opens with a passing jest run that logged (a "● Console" block).
    done = lanes(tmp_path, "pytest-fails", "plain-fails")
    assert done.returncode == 1
    end = tail(done.stdout, 40)
    assert "FAILED tests/sql/test_thing.py::test_counts - AssertionError: 3 != 4" in end
    assert "E       AssertionError: 3 != 4" in end
    # Without a test runner's markers, the digest is the log's last lines.
    assert "plain-fails] Error 2" in end
    assert "line 40" in end
    assert "line 20" not in digest(done.stdout)


def test_a_stale_failure_of_an_earlier_run_is_not_reported(tmp_path: Path) -> None:
    assert lanes(tmp_path, "jest-fails").returncode == 1
    again = lanes(tmp_path, "pass-a", "pass-b")
    assert again.returncode == 0
    assert "what failed" not in again.stdout
