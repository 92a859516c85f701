#!/usr/bin/env bash
# The project's Python environment (.venv): Airflow 3 with its providers, PySpark, pytest, ruff,
# installed exactly from python/requirements.lock (hashes checked) with uv.
# Usage: stack/python.sh install | lock
source "$(dirname "$0")/lib.sh"
VENV="$ROOT/.venv"
LOCK="$ROOT/python/requirements.lock"
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

lock() {
  ensure_uv
  "$VENV/bin/uv" pip compile "$ROOT/python/requirements.in" --python-version 3.11 --generate-hashes \
    --quiet -o "$LOCK"
  say "wrote $LOCK"
}

case "${1:-}" in
  install) install ;;
  lock) lock ;;
  *) echo "usage: $0 install|lock" >&2; exit 2 ;;
esac
