"""The step images without a container engine: the Dockerfile's build step runs here as it runs in
the image build (`node images/bundle.mjs --out ...`), then each step's bundle is run alone from a
clean folder, as the image runs it: no node_modules, no repository, a bare environment.

Steps come from the CLI itself, so a new command is covered without touching this file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "images" / "bundle.mjs"
BUILTINS = set(
    subprocess.run(
        ["node", "-p", "require('node:module').builtinModules.join('\\n')"], capture_output=True, text=True
    ).stdout.split()
)


def node(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def steps() -> list[str]:
    listed = node(str(BUNDLE), "--list", "--json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundles")
    built = node(str(BUNDLE), "--out", str(out))  # the Dockerfile's RUN, verbatim
    assert built.returncode == 0, built.stderr
    return out


def test_the_steps_are_the_commands_of_the_cli(steps):
    help_text = node(str(ROOT / "tasks" / "dist" / "cli.js"), "--help").stdout
    commands = re.findall(r"^\s+sales-pipeline ([a-z][a-z0-9-]*)\b", help_text, flags=re.M)
    assert steps == commands
    assert "doctor" in steps and "ingest-raw" in steps


def test_every_step_runs_its_help_alone_from_a_clean_folder(steps, bundles, tmp_path):
    bare_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    for step in steps:
        app = tmp_path / step
        app.mkdir()
        shutil.copy(bundles / step / "main.js", app / "main.js")
        top = node("main.js", "--help", cwd=app, env=bare_env)
        assert top.returncode == 0, f"{step}: {top.stderr}"
        assert f"sales-pipeline {step}" in top.stdout
        own = node("main.js", step, "--help", cwd=app, env=bare_env)
        assert own.returncode == 0, f"{step} --help: {own.stderr}"
        assert own.stdout.startswith(f"sales-pipeline {step}"), step


def test_an_image_refuses_another_steps_work_naming_the_right_image(steps, bundles, tmp_path):
    step, other = steps[0], steps[1]
    shutil.copy(bundles / step / "main.js", tmp_path / "main.js")
    run = node("main.js", other, "--dt", "2022-04-30", "--profile", "aws", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert f"use the image sales-pipeline-{other}" in run.stderr


def test_each_bundle_carries_only_its_own_step_and_needs_no_packages(steps, bundles):
    for step in steps:
        meta = json.loads((bundles / "_meta" / f"{step}.json").read_text())
        found = (re.search(r"src/commands/([^/]+)/index\.ts$", p) for p in meta["inputs"])
        commands = {m.group(1) for m in found if m}
        assert commands == {step}, f"{step} bundles the implementation of {sorted(commands)}"
        (output,) = meta["outputs"].values()
        external = {i["path"] for i in output["imports"] if i.get("external")}
        unexpected = {p for p in external if p.removeprefix("node:") not in BUILTINS} - {"pg-native"}
        assert not unexpected, f"{step} would need packages at run time: {sorted(unexpected)}"


def test_the_dockerfile_pins_its_base_runs_as_non_root_and_lists_no_steps(steps):
    dockerfile = (ROOT / "images" / "Dockerfile").read_text()
    (base,) = re.findall(r"^ARG NODE_IMAGE=(\S+)$", dockerfile, flags=re.M)
    assert re.fullmatch(r"node:\d+\.\d+\.\d+-[a-z0-9-]+(@sha256:[0-9a-f]{64})?", base), base
    final = dockerfile[dockerfile.rindex("\nFROM ") :]
    (user,) = re.findall(r"^USER (\S+)$", final, flags=re.M)
    assert user.split(":")[0] not in ("0", "root")
    assert user.split(":")[0].isdigit(), "numeric, so Kubernetes can verify runAsNonRoot"
    for step in steps:
        assert f" {step}" not in dockerfile and f"={step}" not in dockerfile, f"{step} is hard-coded"


def test_the_build_context_holds_exactly_what_the_dockerfile_copies():
    dockerfile = (ROOT / "images" / "Dockerfile").read_text()
    sources = [
        src
        for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile, flags=re.M)
        for src in line.split()[:-1]
    ]
    allowed = [
        line[1:].rstrip("/")
        for line in (ROOT / "images" / "Dockerfile.dockerignore").read_text().splitlines()
        if line.startswith("!")
    ]
    for src in sources:
        assert any(src.rstrip("/") == a or src.startswith(a + "/") for a in allowed), src
        assert (ROOT / src).exists(), src
    assert "*" in (ROOT / "images" / "Dockerfile.dockerignore").read_text().splitlines()


def test_the_workflow_builds_every_listed_step_with_actions_pinned_to_commits():
    text = (ROOT / ".github" / "workflows" / "images.yml").read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)$", text, flags=re.M)
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{ref} is not pinned to a commit"
        assert re.search(r"#\s*v\d", comment), f"{ref} has no version comment"
    assert "node images/bundle.mjs --list --json" in text
    assert "fromJSON(needs.steps.outputs.steps)" in text
    assert "file: images/Dockerfile" in text
    assert "STEP=${{ matrix.step }}" in text
