"""The bench harnesses' comparison code, importable by the tests (bench/ is scripts, not a package)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
for area in ("quality", "transform", "ingest", "warehouse"):
    sys.path.insert(0, str(BENCH / area))
