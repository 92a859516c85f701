#!/usr/bin/env bash
# Drives the local services together. Usage: stack/stack.sh install|up|down|status
# Order matters only for humans reading the output; each service checks its own health.
source "$(dirname "$0")/lib.sh"
SERVICES=(postgres s3 kafka smtp)

case "${1:-}" in
  install)
    for s in "${SERVICES[@]}"; do bash "$ROOT/stack/$s.sh" install; done ;;
  up)
    started=$SECONDS
    for s in "${SERVICES[@]}"; do bash "$ROOT/stack/$s.sh" start; done
    say "stack up in $((SECONDS - started))s; data and logs under $STACK_HOME" ;;
  down)
    # Reverse order; Airflow too, if `make airflow` started it.
    for s in airflow smtp kafka s3 postgres; do
      if [ -f "$(svc_pidfile "$s")" ]; then say "stopping $s"; stop_daemon "$s"; fi
    done ;;
  status)
    rc=0
    for s in "${SERVICES[@]}"; do bash "$ROOT/stack/$s.sh" status || rc=1; done
    if [ -f "$ROOT/stack/airflow.sh" ]; then bash "$ROOT/stack/airflow.sh" status || true; fi
    exit $rc ;;
  *) echo "usage: $0 install|up|down|status" >&2; exit 2 ;;
esac
