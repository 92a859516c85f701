#!/usr/bin/env bash
# make test: the test tiers in lanes that run at once, the tiers of a lane one after another.
# Tiers in different lanes must not share a service: the Makefile's lanes are the tiers that need
# none (lint, unit, DAGs, transform) with the demo smoke (its own stack, ports +500); the tiers that
# use the developer's stack (integration, dashboards), which write to the same warehouse, bucket and
# topics; and e2e (its own stack, ports +250, stack/e2e.sh).
# On two cores the lanes overlap one lane's waits (services, Airflow, Kafka) with another's work.
# Each tier's output goes to .local/test-logs/<tier>.log; a failed tier's log is printed whole, and
# its lane stops. Exit 0 when every tier passed, else 1 (the other lanes still run to their end).
# The last lines printed name what failed (each failed test and the first lines of its error), so
# whoever reads only the tail of a CI log still sees why.
# TEST_LOGS names another folder for the logs (tests/stack/test_test_lanes.py uses it).
# Usage: stack/test-lanes.sh "<tiers of lane 1>" ["<tiers of lane 2>" ...]
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[ $# -ge 1 ] || { echo "usage: $0 \"<tiers of lane 1>\" [\"<tiers of lane 2>\" ...]" >&2; exit 2; }
logs="${TEST_LOGS:-$ROOT/.local/test-logs}"
mkdir -p "$logs"
started=$SECONDS

say() { printf '[test %4ss] %s\n' "$((SECONDS - started))" "$*"; }

# CPU seconds (user + system) of the tier's processes, beside its wall time: on a shared machine the
# wall time says more about the neighbours than about the tests.
TIMEFORMAT='%U %S'

lane() {
  local tier t0 rc cpu
  for tier in $1; do
    t0=$SECONDS
    say "$tier started"
    { time make --no-print-directory "$tier" >"$logs/$tier.log" 2>&1; } 2>"$logs/$tier.cpu"
    rc=$?
    echo "$rc" >"$logs/$tier.rc"
    cpu="$(awk '{printf "%.0f", $1 + $2}' "$logs/$tier.cpu")"
    if [ "$rc" != 0 ]; then
      say "$tier FAILED after $((SECONDS - t0))s (exit $rc); its output ($logs/$tier.log):"
      sed 's/^/    | /' "$logs/$tier.log"
      return 1
    fi
    say "$tier passed in $((SECONDS - t0))s (CPU ${cpu}s)"
  done
}

# What failed in a tier's log, in a few lines: jest's failed suites and tests (the "●" headers,
# each with the first lines of its error, stack frames left out), pytest's summary lines and first
# "E" lines, or else the log's last lines.
digest() {
  local log=$1
  if grep '^ *● ' "$log" | grep -vq '● Console'; then
    awk '/^FAIL / { print; next }
         /^ *● / && !/● Console/ { n = 12; print; next }
         n > 0 && /^ +at / { n = 0; next }
         n > 0 { if ($0 !~ /^ *$/) print; n-- }' "$log" | head -n 60
  elif grep -Eq '^(FAILED|ERROR) ' "$log"; then
    { grep -E '^E ' "$log" | head -n 12; grep -E '^(FAILED|ERROR) ' "$log" | head -n 20; }
  else
    tail -n 15 "$log"
  fi
}

for tiers in "$@"; do
  for tier in $tiers; do rm -f "$logs/$tier.rc"; done
done
pids=()
for tiers in "$@"; do
  lane "$tiers" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
if [ "$failed" = 0 ]; then
  say "every tier passed ($*)"
else
  for tiers in "$@"; do
    for tier in $tiers; do
      # A tier that passed, or never ran because an earlier one of its lane failed: nothing to say.
      [ "$(cat "$logs/$tier.rc" 2>/dev/null || echo 0)" = 0 ] && continue
      say "what failed in $tier ($logs/$tier.log):"
      digest "$logs/$tier.log" | sed 's/^/    ! /'
    done
  done
  say "some tier failed; logs in $logs"
fi
exit "$failed"
