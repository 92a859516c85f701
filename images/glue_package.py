"""Packages the Glue job for AWS Glue: job scripts as they are, shared modules as one zip.

    python3 images/glue_package.py <glue dir> <out dir>

Writes:
- `<out>/jobs/<name>.py`: each `glue/jobs/*.py`, the job's ScriptLocation;
- `<out>/glue_modules.zip`: every other Python module and package under glue/ (tests excluded), at
  the zip's top level, for the job's `--extra-py-files`, so `import <package>` works on Glue as it
  does locally;
- `<out>/manifest.json`: each artefact with its sha256, so an upload can be content-addressed.

The zip is reproducible: sorted entries, fixed timestamps and modes, so the same sources give the
same bytes and an unchanged job is not re-uploaded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

EXCLUDED_DIRS = {"jobs", "tests", "test", "__pycache__", ".pytest_cache"}
EXCLUDED_FILES = {"conftest.py", "setup.py"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def module_files(glue: Path) -> list[Path]:
    """Python files that belong in the modules zip, relative to `glue`, sorted."""
    found = []
    for path in glue.rglob("*.py"):
        rel = path.relative_to(glue)
        if any(part in EXCLUDED_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if rel.name in EXCLUDED_FILES or rel.name.startswith("test_"):
            continue
        if len(rel.parts) > 1 and not (glue / rel.parts[0] / "__init__.py").exists():
            continue  # a folder that is not a package cannot be imported from the zip
        found.append(rel)
    return sorted(found)


def write_zip(glue: Path, files: list[Path], target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in files:
            info = zipfile.ZipInfo(rel.as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (glue / rel).read_bytes())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package(glue: Path, out: Path) -> dict:
    """Builds the artefacts into `out` (replacing it) and returns the manifest."""
    if not glue.is_dir():
        raise SystemExit(f"glue_package: {glue} is not a folder")
    if out.exists():
        shutil.rmtree(out)
    (out / "jobs").mkdir(parents=True)
    artefacts = []
    for job in sorted((glue / "jobs").glob("*.py")):
        shutil.copyfile(job, out / "jobs" / job.name)
        artefacts.append({"path": f"jobs/{job.name}", "role": "script"})
    files = module_files(glue)
    if files:
        write_zip(glue, files, out / "glue_modules.zip")
        artefacts.append({"path": "glue_modules.zip", "role": "extra-py-files", "modules": len(files)})
    for artefact in artefacts:
        artefact["sha256"] = sha256(out / artefact["path"])
    manifest = {"source": str(glue), "artefacts": artefacts}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    result = package(Path(sys.argv[1]), Path(sys.argv[2]))
    summary = ", ".join(a["path"] for a in result["artefacts"]) or "nothing to package yet"
    print(f"[glue-package] {sys.argv[2]}: {summary}")
