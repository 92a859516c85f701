"""The Glue package: job scripts as they are, importable modules in one reproducible zip."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "images" / "glue_package.py"


@pytest.fixture
def glue(tmp_path) -> Path:
    """A glue/ folder shaped like the transform's: a job, a package, a top-level module, tests."""
    files = {
        "jobs/clean_order_lines.py": "from rules_pkg.status import bucket\n",
        "rules_pkg/__init__.py": "",
        "rules_pkg/status.py": "def bucket(s):\n    return 'realised' if s == 'Shipped' else 'other'\n",
        "rules_pkg/tests/test_status.py": "def test_x():\n    pass\n",
        "helpers_mod_xyz.py": "VALUE = 42\n",
        "conftest.py": "",
        "tests/test_job.py": "",
        "notes/scratch.py": "print('not a package')\n",
        "README.md": "# glue\n",
    }
    root = tmp_path / "glue"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def package(glue: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, str(SCRIPT), str(glue), str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "manifest.json").read_text())


def test_jobs_are_copied_and_modules_zipped_without_tests(glue, tmp_path):
    out = tmp_path / "out"
    manifest = package(glue, out)
    job = "jobs/clean_order_lines.py"
    assert (out / job).read_text() == (glue / job).read_text()
    names = zipfile.ZipFile(out / "glue_modules.zip").namelist()
    assert names == ["helpers_mod_xyz.py", "rules_pkg/__init__.py", "rules_pkg/status.py"]
    roles = {a["path"]: a["role"] for a in manifest["artefacts"]}
    assert roles == {"jobs/clean_order_lines.py": "script", "glue_modules.zip": "extra-py-files"}


def test_the_zip_is_importable_as_glue_imports_extra_py_files(glue, tmp_path, monkeypatch):
    out = tmp_path / "out"
    package(glue, out)
    monkeypatch.syspath_prepend(str(out / "glue_modules.zip"))
    status = importlib.import_module("rules_pkg.status")
    assert status.bucket("Shipped") == "realised"
    assert importlib.import_module("helpers_mod_xyz").VALUE == 42
    for name in ("rules_pkg.status", "rules_pkg", "helpers_mod_xyz"):
        sys.modules.pop(name, None)


def test_the_same_sources_give_the_same_bytes(glue, tmp_path):
    first = package(glue, tmp_path / "a")
    (glue / "rules_pkg" / "status.py").touch()  # a newer mtime alone changes nothing
    second = package(glue, tmp_path / "b")
    assert first["artefacts"] == second["artefacts"]
    (glue / "rules_pkg" / "status.py").write_text("def bucket(s):\n    return 'changed'\n")
    third = package(glue, tmp_path / "c")
    assert third["artefacts"] != first["artefacts"]


def test_a_missing_glue_folder_is_refused_by_name(tmp_path):
    args = [sys.executable, str(SCRIPT), str(tmp_path / "nope"), str(tmp_path / "out")]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode != 0
    assert "nope is not a folder" in done.stderr
