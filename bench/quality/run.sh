#!/usr/bin/env bash
# make bench-quality: the silver suite on 128,975 and 1,000,000 silver rows (the real sample repeated,
# keys kept unique), our engine and Great Expectations 1.x (pandas) side by side on the same files.
# Verdicts must agree expectation by expectation. Results: bench/results/quality.{json,md}.
# SIZES="128975" bash bench/quality/run.sh for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${SIZES:-128975 1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
runs=()
for rows in $SIZES; do
  echo "[bench-quality] building $rows silver rows"
  .venv/bin/python bench/quality/silver_fixture.py --out "$work/$rows" --rows "$rows" >/dev/null
  dir="$work/$rows/dataset=kaggle-sample/dt=2022-04-30"
  echo "[bench-quality] engine on $rows rows"
  node bench/quality/engine_run.js silver_order_lines "$dir" >"$work/engine-$rows.json"
  echo "[bench-quality] Great Expectations on $rows rows"
  .venv-bench/bin/python bench/quality/gx_run.py expectations/silver_order_lines.json "$dir" 2>/dev/null >"$work/gx-$rows.json"
  runs+=("$rows:$work/engine-$rows.json:$work/gx-$rows.json")
done
.venv/bin/python bench/quality/report.py "${runs[@]}"
