#!/usr/bin/env bash
# The project's Python environment (.venv): Airflow 3 with its providers, PySpark, pytest, ruff,
# installed exactly from python/requirements.lock (hashes checked) with uv.
# The benchmark peers (Great Expectations, pandas) live in a second environment, .venv-bench, from
# python/bench.lock, installed only by `make bench-setup`.
# Usage: stack/python.sh install | install-bench | lock
source "$(dirname "$0")/lib.sh"
VENV="$ROOT/.venv"
LOCK="$ROOT/python/requirements.lock"
BENCH_VENV="$ROOT/.venv-bench"
BENCH_LOCK="$ROOT/python/bench.lock"
UV_VERSION=0.13.9
STAMP="$VENV/.installed"

ensure_uv() {
  [ -x "$VENV/bin/uv" ] && "$VENV/bin/uv" --version 2>/dev/null | grep -q " $UV_VERSION" && return 0
  [ -x "$VENV/bin/python" ] || python3.11 -m venv "$VENV" || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
}

install() {
  stamp_fresh "$STAMP" "$LOCK" && return 0
  local started=$SECONDS
  say "installing the Python environment into .venv from python/requirements.lock (Airflow, PySpark: a few minutes the first time)"
  ensure_uv
  # Never let pip fetch a Spark distribution from a mirror: pyspark bundles its jars.
  unset PYSPARK_HADOOP_VERSION
  VIRTUAL_ENV="$VENV" "$VENV/bin/uv" pip sync --require-hashes --python "$VENV/bin/python" "$LOCK" \
    || { say "ERROR python: uv pip sync failed (see the output above)"; exit 1; }
  stamp_write "$STAMP" "$LOCK"
  say "python environment ready in $((SECONDS - started))s"
}

install_bench() {
  stamp_fresh "$BENCH_VENV/.installed" "$BENCH_LOCK" && return 0
  ensure_uv
  say "installing the benchmark peers into .venv-bench from python/bench.lock (Great Expectations, pandas)"
  [ -x "$BENCH_VENV/bin/python" ] || python3.11 -m venv "$BENCH_VENV" || python3 -m venv "$BENCH_VENV"
  VIRTUAL_ENV="$BENCH_VENV" "$VENV/bin/uv" pip sync --require-hashes --python "$BENCH_VENV/bin/python" "$BENCH_LOCK" \
    || { say "ERROR python: uv pip sync of the bench environment failed (see the output above)"; exit 1; }
  stamp_write "$BENCH_VENV/.installed" "$BENCH_LOCK"
}

lock() {
  ensure_uv
  "$VENV/bin/uv" pip compile "$ROOT/python/requirements.in" --python-version 3.11 --generate-hashes \
    --quiet -o "$LOCK"
  say "wrote $LOCK"
  "$VENV/bin/uv" pip compile "$ROOT/python/bench.in" --python-version 3.11 --generate-hashes \
    --quiet -o "$BENCH_LOCK"
  say "wrote $BENCH_LOCK"
}

case "${1:-}" in
  install) install ;;
  install-bench) install_bench ;;
  lock) lock ;;
  *) echo "usage: $0 install|install-bench|lock" >&2; exit 2 ;;
esac
