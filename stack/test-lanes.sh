#!/usr/bin/env bash
# make test: the test tiers in lanes that run at once, the tiers of a lane one after another.
# Tiers in different lanes must not share a service: the Makefile's lanes are the tiers that need
# none (lint, unit, DAGs, transform) with the demo smoke (its own stack, ports +500); the tiers that
# use the developer's stack (integration, dashboards), which write to the same warehouse, bucket and
# topics; and e2e (its own stack, ports +250, stack/e2e.sh).
# On two cores the lanes overlap one lane's waits (services, Airflow, Kafka) with another's work.
# Each tier's output goes to .local/test-logs/<tier>.log; a failed tier's log is printed whole, and
# its lane stops. Exit 0 when every tier passed, else 1 (the other lanes still run to their end).
# Usage: stack/test-lanes.sh "<tiers of lane 1>" ["<tiers of lane 2>" ...]
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[ $# -ge 1 ] || { echo "usage: $0 \"<tiers of lane 1>\" [\"<tiers of lane 2>\" ...]" >&2; exit 2; }
logs="$ROOT/.local/test-logs"
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
    cpu="$(awk '{printf "%.0f", $1 + $2}' "$logs/$tier.cpu")"
    if [ "$rc" != 0 ]; then
      say "$tier FAILED after $((SECONDS - t0))s (exit $rc); its output ($logs/$tier.log):"
      sed 's/^/    | /' "$logs/$tier.log"
      return 1
    fi
    say "$tier passed in $((SECONDS - t0))s (CPU ${cpu}s)"
  done
}

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
  say "some tier failed; logs in $logs"
fi
exit "$failed"
