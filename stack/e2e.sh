#!/usr/bin/env bash
# make test-e2e: the end-to-end tests (tests/e2e) on a stack of their own, so they can run beside the
# integration tier, which stops the broker and the database on purpose, and never write into the
# developer's warehouse. The stack lives under .local/e2e (STACK_HOME) on ports
# SALES_PIPELINE_PORT_OFFSET + 250 (or E2E_PORT_OFFSET); its folder is kept between runs, so a
# second run starts its services in seconds, and its services are stopped at the end, passed or not.
# Extra arguments go to pytest (e.g. stack/e2e.sh -k backfill).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
home="$ROOT/.local/e2e"
offset="${E2E_PORT_OFFSET:-$((${SALES_PIPELINE_PORT_OFFSET:-0} + 250))}"
started=$SECONDS

say() { printf '[e2e] %s\n' "$*" >&2; }
in_e2e() { env STACK_HOME="$home" SALES_PIPELINE_PORT_OFFSET="$offset" "$@"; }
finish() {
  local rc=$?
  in_e2e bash stack/stack.sh down >/dev/null 2>&1 || true
  say "$([ "$rc" = 0 ] && echo passed || echo "FAILED (exit $rc)") after $((SECONDS - started))s; services stopped, logs under $home"
}

# An env file made for other ports (the offset changed) would point the tests at someone else's
# stack; env.sh records the offset it used (a file from before it did is started afresh once).
if [ -f "$home/env" ] && ! grep -qx "PORT_OFFSET=$offset" "$home/env"; then
  say "ports changed (offset now +$offset): starting $home afresh"
  in_e2e bash stack/stack.sh down >/dev/null 2>&1 || true
  in_e2e bash stack/postgres.sh purge >/dev/null 2>&1 || true
  rm -rf "$home"
fi
trap finish EXIT
say "own stack under $home, ports +$offset"
in_e2e make --no-print-directory up
in_e2e "$ROOT/.venv/bin/pytest" -q tests/e2e "$@"
