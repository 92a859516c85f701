#!/usr/bin/env bash
# make bench-models: the train step's forecaster and k-means against statsmodels and scikit-learn on
# the same inputs, side by side in one run. Input: the generated 91-day source file (make data),
# aggregated directly (bench/models/inputs.py). Results: bench/results/models.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/../.."
SOURCE="${SOURCE:-.local/data/amazon_sale_report_synthetic_seed1_128975.csv}"
[ -f "$SOURCE" ] || { echo "[bench-models] $SOURCE is missing: run 'make data' first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "[bench-models] aggregating $SOURCE"
.venv/bin/python bench/models/inputs.py "$SOURCE" >"$work/input.json"
echo "[bench-models] ours (augurs MSTL/ETS, ml-kmeans)"
node bench/models/ours.js "$work/input.json" >"$work/ours.json" 2> >(grep -v ExperimentalWarning >&2)
echo "[bench-models] peers (statsmodels, scikit-learn)"
.venv-bench/bin/python bench/models/peer.py "$work/input.json" "$work/ours.json" >"$work/peer.json"
.venv/bin/python bench/models/report.py "$work/input.json" "$work/ours.json" "$work/peer.json" "$SOURCE"
