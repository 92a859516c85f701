"""The step images without a container engine: the Dockerfile's build step runs here as it runs in
the image build (`node images/bundle.mjs --out ...`), its final stage's COPY lines are replayed into
a clean folder, and each step runs from there with the image's ENTRYPOINT: no node_modules, no
repository, a bare environment.

Steps come from the CLI itself, so a new command is covered without touching this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "images" / "bundle.mjs"
DOCKERFILE = (ROOT / "images" / "Dockerfile").read_text()
FINAL_STAGE = DOCKERFILE[DOCKERFILE.rindex("\nFROM ") :]
BUILTINS = set(
    subprocess.run(
        ["node", "-p", "require('node:module').builtinModules.join('\\n')"], capture_output=True, text=True
    ).stdout.split()
)


def node(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def install_image(step: str, bundles: Path, root: Path) -> list[str]:
    """Replays the final stage's COPY lines for `step` under `root`; returns its ENTRYPOINT there."""
    for line in re.findall(r"^COPY (.+)$", FINAL_STAGE, flags=re.M):
        *sources, target = line.split()
        if sources[0].startswith("--from=build"):
            sources = [str(bundles / step / Path(sources[1]).name)]
        else:
            sources = [str(ROOT / src) for src in sources]
        for src in map(Path, sources):
            dest = root / target.lstrip("/")
            if src.is_dir():
                shutil.copytree(src, dest, dirs_exist_ok=True)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(src, dest)
    (entrypoint,) = re.findall(r"^ENTRYPOINT (\[.+\])$", FINAL_STAGE, flags=re.M)
    program, script = json.loads(entrypoint)
    return [str(root / script.lstrip("/"))] if program == "node" else pytest.fail(entrypoint)


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
        entry = install_image(step, bundles, tmp_path / step)
        top = node(*entry, "--help", cwd=tmp_path / step, env=bare_env)
        assert top.returncode == 0, f"{step}: {top.stderr}"
        assert f"sales-pipeline {step}" in top.stdout
        own = node(*entry, step, "--help", cwd=tmp_path / step, env=bare_env)
        assert own.returncode == 0, f"{step} --help: {own.stderr}"
        assert own.stdout.startswith(f"sales-pipeline {step}"), step


def test_an_image_refuses_another_steps_work_naming_the_right_image(steps, bundles, tmp_path):
    step, other = steps[0], steps[1]
    entry = install_image(step, bundles, tmp_path)
    run = node(*entry, other, "--dt", "2022-04-30", "--profile", "aws", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert f"use the image sales-pipeline-{other}" in run.stderr


def test_the_quality_gate_image_finds_the_suites_where_a_checkout_has_them(steps, bundles, tmp_path):
    assert "quality-gate" in steps
    entry = install_image("quality-gate", bundles, tmp_path)
    services = {"KAFKA_BROKERS": "127.0.0.1:1", "PGHOST": "127.0.0.1", "SMTP_HOST": "127.0.0.1"}
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "AWS_REGION": "x", **services}
    run = node(
        *entry, "quality-gate", "--suite", "no_such_suite", "--dt", "2022-04-30", "--profile", "aws", env=env
    )
    assert run.returncode == 2, run.stderr
    assert f"suites live in {tmp_path}/app/expectations/<name>.json" in run.stderr
    assert (tmp_path / "app" / "expectations" / "bronze_order_lines.json").is_file()


# A step's own code importing another step's module is a real dependency, kept in its bundle.
# None today: quality-gate's date range now comes from src/dates.ts, not stream-produce.
CROSS_STEP_IMPORTS: dict[str, set[str]] = {}


def test_each_bundle_carries_only_its_own_step_and_needs_no_packages(steps, bundles):
    for step in steps:
        meta = json.loads((bundles / "_meta" / f"{step}.json").read_text())
        found = (re.search(r"src/commands/([^/]+)/index\.ts$", p) for p in meta["inputs"])
        commands = {m.group(1) for m in found if m}
        expected = {step} | CROSS_STEP_IMPORTS.get(step, set())
        assert commands == expected, f"{step} bundles the implementation of {sorted(commands)}"
        (output,) = meta["outputs"].values()
        external = {i["path"] for i in output["imports"] if i.get("external")}
        unexpected = {p for p in external if p.removeprefix("node:") not in BUILTINS} - {"pg-native"}
        assert not unexpected, f"{step} would need packages at run time: {sorted(unexpected)}"


def test_the_dockerfile_pins_its_base_runs_as_non_root_and_lists_no_steps(steps):
    dockerfile = DOCKERFILE
    (base,) = re.findall(r"^ARG NODE_IMAGE=(\S+)$", dockerfile, flags=re.M)
    assert re.fullmatch(r"node:\d+\.\d+\.\d+-[a-z0-9-]+(@sha256:[0-9a-f]{64})?", base), base
    (user,) = re.findall(r"^USER (\S+)$", FINAL_STAGE, flags=re.M)
    assert user.split(":")[0] not in ("0", "root")
    assert user.split(":")[0].isdigit(), "numeric, so Kubernetes can verify runAsNonRoot"
    for step in steps:
        # A whole word: the folder dashboards/ is not the step dashboard.
        assert not re.search(rf"[ =]{re.escape(step)}(?![\w-])", dockerfile), f"{step} is hard-coded"


def test_the_build_context_holds_exactly_what_the_dockerfile_copies():
    dockerfile = DOCKERFILE
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


def test_the_images_carry_the_forecasters_webassembly_beside_the_bundle(bundles, tmp_path):
    # tasks/src/models/ets.ts looks for augurs' mstl_bg.wasm beside the bundle first; the bundle
    # cannot hold it and the image has no node_modules.
    ets = (ROOT / "tasks" / "src" / "models" / "ets.ts").read_text()
    assert "path.join(__dirname, 'mstl_bg.wasm')" in ets
    assert "/build/bundles/${STEP}/mstl_bg.wasm /app/tasks/dist/mstl_bg.wasm" in DOCKERFILE
    install_image("doctor", bundles, tmp_path)
    assert (tmp_path / "app" / "tasks" / "dist" / "mstl_bg.wasm").stat().st_size > 100_000


def test_the_dashboard_image_carries_the_site_package_the_step_builds(steps, bundles, tmp_path):
    # The dashboard step runs the framework from <repo>/dashboards (tasks/src/dashboards/build.ts):
    # in the image that is /app/dashboards, with the package's own node_modules and tsx for the
    # TypeScript data loaders; no other step's image carries it.
    build_ts = (ROOT / "tasks" / "src" / "dashboards" / "build.ts").read_text()
    assert "path.join(repoRoot, 'dashboards')" in build_ts
    assert "/build/bundles/${STEP}/app/ /app/" in DOCKERFILE
    carriers = [s for s in steps if (bundles / s / "app" / "dashboards").exists()]
    assert carriers == ["dashboard"]
    site = tmp_path / "app" / "dashboards"
    install_image("dashboard", bundles, tmp_path)
    for name in ["package.json", "observablehq.config.js", "npm-versions.json", "src/index.md", "lib/db.ts"]:
        assert (site / name).is_file(), name
    for data in ["overview", "sales", "customers", "products", "quality"]:
        assert (site / "src" / "data" / f"{data}.json.ts").is_file(), data
    assert not (site / "src" / ".observablehq" / "cache").exists(), "a build cache was shipped"
    # The framework and the loaders' runner start from the copy, in a bare environment.
    bare_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    framework = node(
        str(site / "node_modules/@observablehq/framework/dist/bin/observable.js"), "help", env=bare_env
    )
    assert framework.returncode == 0 and "build" in framework.stdout, framework.stderr
    tsx = node(str(site / "node_modules/tsx/dist/cli.mjs"), "--version", env=bare_env)
    assert tsx.returncode == 0, tsx.stderr
    # The Dockerfile installs the package from its lock file with the loaders' runner included.
    package = json.loads((ROOT / "dashboards" / "package.json").read_text())
    assert "tsx" in package["dependencies"] and "@observablehq/framework" in package["dependencies"]
    assert "npm ci --omit=dev" in DOCKERFILE


def test_the_dashboard_step_builds_in_a_working_copy_when_the_site_is_read_only():
    # A pod's root file system is read-only (plugins/sales_pipeline/pods.py); only /tmp is writable.
    # Run as an unprivileged user (root may write anywhere) over a world-readable scratch folder.
    as_root = os.getuid() == 0
    scratch = Path(tempfile.mkdtemp(prefix="site-ro-"))
    try:
        scratch.chmod(0o777)
        site = scratch / "dashboards"
        site.mkdir()
        for name in ["package.json", "observablehq.config.js", "npm-versions.json", "src", "lib"]:
            src = ROOT / "dashboards" / name
            shutil.copytree(src, site / name) if src.is_dir() else shutil.copy(src, site / name)
        (site / "node_modules").mkdir()
        site.chmod(0o555)
        script = (
            "const { workingSite } = require(process.argv[1]);"
            "const fs = require('node:fs');"
            "const w = workingSite(process.argv[2]);"
            "console.log(JSON.stringify({ root: w.root, files: fs.readdirSync(w.root).sort(),"
            " modules: fs.realpathSync(w.root + '/node_modules') }));"
            "w.dispose(); console.log(fs.existsSync(w.root));"
        )
        run = subprocess.run(
            ["node", "-e", script, str(ROOT / "tasks/dist/dashboards/build.js"), str(site)],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/local/bin:/usr/bin:/bin", "TMPDIR": str(scratch)},
            user=65534 if as_root else None,
        )
        assert run.returncode == 0, run.stderr
        info, gone = run.stdout.splitlines()
        got = json.loads(info)
        assert got["root"] != str(site) and got["root"].startswith(str(scratch))
        assert got["files"] == [
            "lib",
            "node_modules",
            "npm-versions.json",
            "observablehq.config.js",
            "package.json",
            "src",
        ]
        assert got["modules"] == str(site / "node_modules")
        assert gone == "false"
    finally:
        site.chmod(0o755)
        shutil.rmtree(scratch, ignore_errors=True)
