#!/usr/bin/env bash
# Airflow 3 for local use: what `airflow standalone` runs (API server + UI, scheduler, DAG processor,
# triggerer) with SQLite metadata under .local/airflow, the repo's dags/ and plugins/, and
# connections built from .local/env. We start the four components ourselves rather than through
# `airflow standalone` because standalone's log servers bind every interface (0.0.0.0:8793/8794)
# and cannot be told otherwise; here the API server binds 127.0.0.1 and the log servers are off
# (the API server reads task logs from the local log folder).
# Usage: stack/airflow.sh start|stop|status|env|exec CMD...|dags-test DAG DATE
#        stack/airflow.sh history START END [DATASET [SOURCE]]   one run of sales_pipeline_history
#        stack/airflow.sh backfill START END                     one daily run per date, in-process
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
export PIPELINE_CLI="\${PIPELINE_CLI:-$ROOT/tasks/dist/cli.js}"
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
  [ -f "$AIRFLOW_HOME/airflow.db" ] && [ -f "$AIRFLOW_HOME/.migrated-$(airflow version)" ] && [ -f "$AIRFLOW_HOME/.pool-stream_land" ] && return 0
  say "initialising the Airflow metadata database"
  airflow db migrate >>"$(svc_log $SVC)" 2>&1 || fail $SVC "airflow db migrate failed"
  # One lander at a time across every DAG (docs/runbook.md): both DAGs' stream_land use this pool.
  airflow pools set stream_land 1 "one stream-land at a time" >>"$(svc_log $SVC)" 2>&1 || fail $SVC "airflow pools set failed"
  touch "$AIRFLOW_HOME/.pool-stream_land"
  touch "$AIRFLOW_HOME/.migrated-$(airflow version)"
}

# `airflow dags test` starts its run at the logical date (years ago for our dates): after each one,
# give such runs their true start so the UI shows true durations (stack/airflow_run_starts.py).
true_starts() {
  python "$ROOT/stack/airflow_run_starts.py" >>"$(svc_log $SVC)" 2>&1 || say "could not correct the runs' start dates (log: $(svc_log $SVC))"
}

# dags-test DAG DATE [ARGS...]: one in-process run, then its true start date; keeps dags test's exit code.
dags_test() {
  local rc=0
  airflow dags test "$@" || rc=$?
  true_starts
  return $rc
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
  dags_test sales_pipeline_history "$start" --conf "$conf"
}

# backfill START END: one daily run per date, oldest first, each in-process (`airflow dags test`,
# the local runner), like `make pipeline` for every date. Airflow 3 dropped the in-process
# `dags backfill`; its `backfill create` queues runs for the scheduler, which starts them only
# while the DAG is unpaused, and unpausing would also start the catch-up of every day up to
# PIPELINE_END_DATE. Every step is idempotent per date, so dates already run are simply run again.
backfill() {
  local start="$1" end="$2" day failed=()
  python3 -c 'import datetime as d,sys; [d.date.fromisoformat(a) for a in sys.argv[1:]]' "$start" "$end" 2>/dev/null ||
    { say "START and END must be dates YYYY-MM-DD, got '$start' and '$end'"; exit 2; }
  [[ "$start" < "$end" || "$start" == "$end" ]] || { say "START ($start) is after END ($end)"; exit 2; }
  migrate
  day="$start"
  while [[ "$day" < "$end" || "$day" == "$end" ]]; do
    say "backfill: sales_pipeline $day"
    # `dags test` exits non-zero when the run fails; its output goes to the Airflow log.
    if ! dags_test sales_pipeline "$day" >>"$(svc_log $SVC)" 2>&1; then
      failed+=("$day"); say "backfill: $day failed (log: $(svc_log $SVC))"
    fi
    day="$(date -u -d "$day + 1 day" +%F)"
  done
  if [ ${#failed[@]} -gt 0 ]; then say "backfill: failed dates: ${failed[*]}"; exit 1; fi
  say "backfill: every date from $start to $end succeeded"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  env) airflow_env ;;
  start) with_env start ;;
  stop) stop_daemon $SVC ;;
  status) with_env status ;;
  exec) with_env "$@" ;;
  run) with_env run_components ;;
  dags-test) with_env migrate && with_env dags_test "$@" ;;
  history) [ $# -ge 2 ] || { echo "usage: $0 history START END [DATASET [SOURCE]]" >&2; exit 2; }; with_env history "$@" ;;
  backfill) [ $# -eq 2 ] || { echo "usage: $0 backfill START END" >&2; exit 2; }; with_env backfill "$@" ;;
  *) echo "usage: $0 start|stop|status|env|exec CMD...|dags-test DAG DATE|history START END [DATASET [SOURCE]]|backfill START END" >&2; exit 2 ;;
esac
