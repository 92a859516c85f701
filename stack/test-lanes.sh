#!/usr/bin/env bash
# make test: the test tiers in two lanes at once. One lane holds the tiers that need no shared
# service (lint, unit, DAGs, images, transform, and the demo smoke, which starts its own stack on
# ports +500); the other holds the tiers that use the developer's stack (integration, dashboards,
# e2e), one after another, since they write to the same warehouse, bucket and topics.
# On two cores the lanes overlap one lane's waits (services, Airflow, Kafka) with the other's work.
# Each tier's output goes to .local/test-logs/<tier>.log; a failed tier's log is printed whole, and
# its lane stops. Exit 0 when every tier passed, else 1 (the other lane still runs to its end).
# Usage: stack/test-lanes.sh "<tiers of lane 1>" "<tiers of lane 2>"
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[ $# -eq 2 ] || { echo "usage: $0 \"<tiers of lane 1>\" \"<tiers of lane 2>\"" >&2; exit 2; }
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

lane "$1" & first=$!
lane "$2" & second=$!
failed=0
wait "$first" || failed=1
wait "$second" || failed=1
if [ "$failed" = 0 ]; then
  say "every tier passed ($1 $2)"
else
  say "some tier failed; logs in $logs"
fi
exit "$failed"
