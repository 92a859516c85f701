#!/usr/bin/env bash
# make demo-smoke: the newcomer's path, `make demo`, on a fresh and empty stack folder, for every
# `make test`. It catches what only a first run meets: folders not made yet, credentials not
# generated yet, a cluster and an Airflow database not initialised yet, an empty warehouse.
# ROWS=50000 by default, not less: the suites' `mostly` thresholds (0.995 for postal code, state and
# city) hold per day only with a few hundred rows a day; at 3,000 rows (33 a day) one null fails a
# day's gate and the demo stops. The generator is seeded (SEED=1), so the outcome is the same each run.
# The developer's own stack is never touched: the smoke runs under .local/demo-smoke with its own
# STACK_HOME and ports (SALES_PIPELINE_PORT_OFFSET + 500, or DEMO_SMOKE_PORT_OFFSET), and stops and
# deletes everything it started at the end. On failure the folder stays, services stopped, for
# reading its logs; the next run deletes it first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
home="$ROOT/.local/demo-smoke"
offset="${DEMO_SMOKE_PORT_OFFSET:-$((${SALES_PIPELINE_PORT_OFFSET:-0} + 500))}"
rows="${ROWS:-50000}"
started=$SECONDS

say() { printf '[demo-smoke] %s\n' "$*" >&2; }
# Runs a command against the smoke's stack, never the developer's.
in_smoke() { env STACK_HOME="$home" SALES_PIPELINE_PORT_OFFSET="$offset" "$@"; }
teardown() {
  [ -d "$home" ] || return 0
  in_smoke bash stack/stack.sh down >/dev/null 2>&1 || true
  if [ -f "$home/env" ]; then in_smoke bash stack/postgres.sh purge >/dev/null 2>&1 || true; fi
}
finish() {
  local rc=$?
  teardown
  if [ "$rc" = 0 ]; then
    rm -rf "$home"
    say "passed in $((SECONDS - started))s"
  else
    say "FAILED after $((SECONDS - started))s; logs kept under $home (e.g. $home/airflow/airflow.log)"
  fi
}

teardown
rm -rf "$home"
trap finish EXIT
say "make demo ROWS=$rows on a fresh STACK_HOME=$home, ports +$offset"
# DEMO_SMOKE_SYNTHETIC=1 also loads the synthetic dataset (about 10 more minutes here); by default the
# smoke proves the fresh-folder path with the real sample only, to keep `make test` short.
synthetic="${DEMO_SMOKE_SYNTHETIC:-0}"
in_smoke env DEMO_SYNTHETIC="$synthetic" make --no-print-directory demo ROWS="$rows" SEED=1

# The demo must have loaded both datasets into the warehouse, not merely exited 0.
# shellcheck disable=SC1091
set -a && . "$home/env" && set +a
count() {
  printf '%s\n' "select count(*) from ${WAREHOUSE_SCHEMA:-sales}.fact_order_lines where dataset = :'dataset';" |
    PGPASSWORD="$WAREHOUSE_PASSWORD" psql -X -q -tA -v ON_ERROR_STOP=1 -v dataset="$1" \
      -h "$PGHOST" -p "$PGPORT" -U "$WAREHOUSE_USER" "$WAREHOUSE_DB"
}
datasets=(kaggle-sample)
[ "$synthetic" = 0 ] || datasets+=("synthetic-seed1-$rows")
for dataset in "${datasets[@]}"; do
  n="$(count "$dataset")"
  say "warehouse: $n fact rows of $dataset"
  [ "$n" -gt 0 ] || { say "no fact rows of $dataset after the demo"; exit 1; }
done

# Every run shows its true duration in the Airflow UI: none starts at its logical date, years ago.
runs="$("$ROOT/.venv/bin/python" - "$home/airflow/airflow.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(*con.execute("select count(*), count(*) filter (where start_date < run_after) from dag_run").fetchone())
PY
)"
read -r total early <<<"$runs"
say "airflow: $total runs, $early starting before they were made"
[ "$total" -ge 2 ] && [ "$early" = 0 ] || { say "a run's start is not its true start (stack/airflow_run_starts.py)"; exit 1; }
