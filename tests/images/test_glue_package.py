"""`make glue-package`: the Glue job as glue-transform uploads it, importable the way Glue imports it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "tasks" / "dist" / "commands" / "glue-transform" / "package-main.js"


def package(out: Path) -> dict:
    done = subprocess.run(["node", str(ENTRY), str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "manifest.json").read_text())


def test_the_package_holds_the_script_the_modules_and_the_reference_data(tmp_path):
    manifest = package(tmp_path / "out")
    out = tmp_path / "out"
    script = ROOT / "glue" / "jobs" / "clean_order_lines.py"
    assert (out / "clean_order_lines.py").read_bytes() == script.read_bytes()
    names = zipfile.ZipFile(out / "order_lines.zip").namelist()
    assert names == manifest["zip"]["files"]
    assert "order_lines/__init__.py" in names and "order_lines/reference/states.csv" in names
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests")]


def test_the_same_sources_give_the_same_bytes(tmp_path):
    first = package(tmp_path / "a")
    second = package(tmp_path / "b")
    assert first == second
    zip_a = (tmp_path / "a" / "order_lines.zip").read_bytes()
    assert zip_a == (tmp_path / "b" / "order_lines.zip").read_bytes()


def test_the_zip_is_importable_and_reads_its_reference_data_as_on_glue(tmp_path):
    package(tmp_path / "out")
    # --extra-py-files puts the zip on sys.path; reference data must come from inside it.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from order_lines import reference; r = reference.load(); "
        "assert reference.__file__.startswith(sys.argv[1]), reference.__file__; print(len(r.states))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out" / "order_lines.zip")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "36"
