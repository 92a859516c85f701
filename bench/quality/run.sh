#!/usr/bin/env bash
# make bench-quality: the silver suite on 128,975 and 1,000,000 silver rows (the real sample repeated,
# keys kept unique), our engine and Great Expectations 1.x (pandas) side by side on the same files;
# then per-expectation parity (verdicts, observed values, errors) on the real sample's partitions and
# on mutated copies of one of them, each built to fail (bench/quality/mutants.py).
# Results: bench/results/quality.{json,md}; exits 1 on a difference that is not a documented deviation.
# SIZES="128975" bash bench/quality/run.sh for a shorter run; SIZES="" for the parity alone (the speed
# table then keeps the previous run's measurements, dated).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${SIZES-128975 1000000}"
SUITE=expectations/silver_order_lines.json
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
  .venv-bench/bin/python bench/quality/gx_run.py "$SUITE" "$dir" 2>/dev/null >"$work/gx-$rows.json"
  runs+=("$rows:$work/engine-$rows.json:$work/gx-$rows.json")
done
echo "[bench-quality] parity: the real sample's partitions and mutated copies"
.venv/bin/python bench/quality/silver_fixture.py --out "$work/real" >/dev/null
real=("$work"/real/dataset=kaggle-sample/dt=*)
.venv/bin/python bench/quality/mutants.py --source "${real[-1]}" --out "$work/mutants" >"$work/mutants.json"
parts=("${real[@]}" "$work"/mutants/*)
node bench/quality/engine_run.js silver_order_lines "${parts[@]}" >"$work/engine-parity.jsonl"
.venv-bench/bin/python bench/quality/gx_run.py "$SUITE" "${parts[@]}" 2>/dev/null >"$work/gx-parity.jsonl"
echo "[bench-quality] GX with the multicolumn sum inside the suite, PYTHONHASHSEED=0..3"
for seed in 0 1 2 3; do
  PYTHONHASHSEED=$seed .venv-bench/bin/python bench/quality/gx_run.py --together "$SUITE" "${real[-1]}" 2>/dev/null
done >"$work/gx-together.jsonl"
.venv/bin/python bench/quality/report.py --parity "$work/engine-parity.jsonl:$work/gx-parity.jsonl:$work/mutants.json" \
  --together "$work/gx-together.jsonl" ${runs[@]+"${runs[@]}"}
