#!/usr/bin/env bash
# Airflow 3 for local use: what `airflow standalone` runs (API server + UI, scheduler, DAG processor,
# triggerer) with SQLite metadata under .local/airflow, the repo's dags/ and plugins/, and
# connections built from .local/env. We start the four components ourselves rather than through
# `airflow standalone` because standalone's log servers bind every interface (0.0.0.0:8793/8794)
# and cannot be told otherwise; here the API server binds 127.0.0.1 and the log servers are off
# (the API server reads task logs from the local log folder).
# Usage: stack/airflow.sh start|stop|status|env|exec CMD...|dags-test DAG DATE
#        stack/airflow.sh history START END [DATASET [SOURCE]]   one run of sales_pipeline_history
#        stack/airflow.sh backfill START END                     daily runs through the scheduler
source "$(dirname "$0")/lib.sh"
SVC=airflow
VENV="$ROOT/.venv"

# Prints the environment every Airflow command of the project runs with (one source of truth).
airflow_env() {
  load_env
  local home; home="$(svc_dir $SVC)"
  cat <<ENV
export AIRFLOW_HOME='$home'
export AIRFLOW__CORE__DAGS_FOLDER='$ROOT/dags'
export AIRFLOW__CORE__PLUGINS_FOLDER='$ROOT/plugins'
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL='http://127.0.0.1:$AIRFLOW_PORT/execution/'
export AIRFLOW__API__HOST=127.0.0.1
export AIRFLOW__API__PORT=$AIRFLOW_PORT
export AIRFLOW__API__BASE_URL='http://127.0.0.1:$AIRFLOW_PORT'
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=30
export AIRFLOW__LOGGING__BASE_LOG_FOLDER='$home/logs'
export PIPELINE_RUNNER=\${PIPELINE_RUNNER:-local}
export PIPELINE_CLI='$ROOT/tasks/dist/cli.js'
export PATH='$VENV/bin':"\$PATH"
export AIRFLOW_CONN_SMTP_DEFAULT='{"conn_type": "smtp", "host": "$SMTP_HOST", "port": $SMTP_PORT, "extra": {"disable_ssl": true, "disable_tls": true, "from_email": "$ALERT_EMAIL_FROM"}}'
export AIRFLOW_CONN_WAREHOUSE='{"conn_type": "postgres", "host": "$PGHOST", "port": $PGPORT, "schema": "$WAREHOUSE_DB", "login": "$WAREHOUSE_USER", "password": "$WAREHOUSE_PASSWORD"}'
export AIRFLOW_CONN_AWS_DEFAULT='{"conn_type": "aws", "login": "$S3_ACCESS_KEY_ID", "password": "$S3_SECRET_ACCESS_KEY", "extra": {"endpoint_url": "$S3_ENDPOINT", "region_name": "$S3_REGION"}}'
ENV
}

with_env() {
  load_env
  eval "$(airflow_env)"
  mkdir -p "$AIRFLOW_HOME"
  "$@"
}

migrate() {
  [ -f "$AIRFLOW_HOME/airflow.db" ] && [ -f "$AIRFLOW_HOME/.migrated-$(airflow version)" ] && return 0
  say "initialising the Airflow metadata database"
  airflow db migrate >>"$(svc_log $SVC)" 2>&1 || fail $SVC "airflow db migrate failed"
  touch "$AIRFLOW_HOME/.migrated-$(airflow version)"
}

healthy() { curl -fsS "http://127.0.0.1:$AIRFLOW_PORT/api/v2/monitor/health" >/dev/null; }

login_hint() {
  local pw="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
  echo "Airflow UI: http://127.0.0.1:$AIRFLOW_PORT"
  if [ -f "$pw" ]; then
    echo "Log in as: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join(f"{u} / {p}" for u, p in d.items()))' "$pw")"
  fi
  echo "(credentials: $pw)"
}

start() {
  if is_running $SVC && healthy; then say "$SVC already running"; login_hint; return 0; fi
  require_port $SVC "$AIRFLOW_PORT"
  migrate
  say "starting Airflow: api-server, scheduler, dag-processor, triggerer (about a minute)"
  start_daemon $SVC bash "$ROOT/stack/airflow.sh" run
  wait_until $SVC 240 healthy
  login_hint
}

status() {
  print_status $SVC "http://127.0.0.1:$AIRFLOW_PORT" healthy
}

# The supervisor start_daemon runs: the components share its process group, so `stop` ends all of
# them; if one dies, the others are stopped too and the failure shows in the log.
run_components() {
  airflow api-server --host 127.0.0.1 --port "$AIRFLOW_PORT" &
  airflow scheduler --skip-serve-logs &
  airflow dag-processor &
  airflow triggerer --skip-serve-logs &
  wait -n
  echo "an Airflow component exited; stopping the others" >&2
  kill 0
}

# history START END [DATASET [SOURCE]]: every step over the whole range in one in-process run.
history() {
  local start="$1" end="$2" dataset="${3:-kaggle-sample}" source="${4:-}"
  local conf
  conf="$(python3 -c 'import json,sys; print(json.dumps(dict(zip(["start","end","dataset","source"], sys.argv[1:]))))' \
    "$start" "$end" "$dataset" "$source")"
  migrate
  say "history load of $dataset, $start..$end (one run of sales_pipeline_history)"
  airflow dags test sales_pipeline_history "$start" --conf "$conf"
}

# Reads `airflow dags list-runs -o json` (after any warnings) and sums up the runs of START..END:
# "done: ...", "failed: ..." once every date finished, else "running: ...".
RUNS_SUMMARY='
import json, sys
lines = [line for line in sys.stdin.read().splitlines() if line.startswith("[")]
runs = json.loads(lines[-1]) if lines else []
start, end = sys.argv[1], sys.argv[2]
mine = [r for r in runs if start <= (r.get("logical_date") or "")[:10] <= end]
states = [r["state"] for r in mine]
finished = [s for s in states if s in ("success", "failed")]
failed = states.count("failed")
head = "failed" if failed and len(finished) == len(mine) else "done" if mine and len(finished) == len(mine) else "running"
print(f"{head}: {len(finished)} of {len(mine)} runs finished, {failed} failed")
'

# backfill START END: one daily run per date, created by `airflow backfill create` and run by the
# scheduler of `make airflow` (Airflow 3 has no in-process `dags backfill`); waits for the runs
# and fails if any failed. Dates already run are run again (every step is idempotent per date).
backfill() {
  local start="$1" end="$2"
  is_running $SVC && healthy || { say "Airflow is not running: start it with 'make airflow'"; exit 1; }
  airflow dags reserialize >/dev/null 2>&1 || true  # make sure the scheduler knows the DAG files
  say "backfill of sales_pipeline, $start..$end"
  airflow backfill create --dag-id sales_pipeline --from-date "$start" --to-date "$end" \
    --reprocess-behavior completed --max-active-runs 2
  local deadline=$((SECONDS + ${BACKFILL_TIMEOUT:-7200})) summary
  while :; do
    summary="$(airflow dags list-runs sales_pipeline -o json 2>/dev/null | python3 -c "$RUNS_SUMMARY" "$start" "$end")"
    say "$summary"
    case "$summary" in
      done*) return 0 ;;
      failed*) say "see the failed runs in the Airflow UI: http://127.0.0.1:$AIRFLOW_PORT/dags/sales_pipeline"; exit 1 ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || { say "backfill still running after ${BACKFILL_TIMEOUT:-7200}s"; exit 1; }
    sleep 15
  done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  env) airflow_env ;;
  start) with_env start ;;
  stop) stop_daemon $SVC ;;
  status) with_env status ;;
  exec) with_env "$@" ;;
  run) with_env run_components ;;
  dags-test) with_env migrate && with_env airflow dags test "$@" ;;
  history) [ $# -ge 2 ] || { echo "usage: $0 history START END [DATASET [SOURCE]]" >&2; exit 2; }; with_env history "$@" ;;
  backfill) [ $# -eq 2 ] || { echo "usage: $0 backfill START END" >&2; exit 2; }; with_env backfill "$@" ;;
  *) echo "usage: $0 start|stop|status|env|exec CMD...|dags-test DAG DATE|history START END [DATASET [SOURCE]]|backfill START END" >&2; exit 2 ;;
esac
