#!/usr/bin/env bash
# What `make demo` runs: on a machine where `make up` has run, it
#   1. checks the services and applies the warehouse migrations (DAG sales_pipeline_setup),
#   2. generates the full-size synthetic dataset (ROWS rows, SEED; skipped when the file exists),
#   3. loads the real sample's dates, 2022-04-27..30 (DAG sales_pipeline_history, one run),
#   4. loads the 91 days of the synthetic dataset, 2022-03-31..2022-06-29, in one run,
#   5. optionally (DEMO_DAILY=1) runs the daily DAG for one date, as the scheduler would,
# then prints where the reports, the warehouse and the dashboards are, and the time it took.
# History runs take the whole range in one Airflow run: one run per day would spend most of the
# 15-minute budget starting Airflow tasks (about 50 s per daily run of eight tasks here).
# Environment: ROWS (default 128975), SEED (default 1, as `make data`), DEMO_DAILY (default 0),
# DEMO_SYNTHETIC (default 1; 0 skips steps 2 and 4, as `make test`'s demo smoke does).
source "$(dirname "$0")/lib.sh"
load_env
cd "$ROOT"

ROWS="${ROWS:-128975}"
SEED="${SEED:-1}"
DATASET="synthetic-seed${SEED}-${ROWS}"
SOURCE="$STACK_HOME/data/amazon_sale_report_synthetic_seed${SEED}_${ROWS}.csv"
AIRFLOW=(bash "$ROOT/stack/airflow.sh")
started=$SECONDS

stage() { say "demo [$((SECONDS - started))s] $*"; }
on_error() { say "demo failed after $((SECONDS - started))s; the Airflow log: $(svc_log airflow)"; }
trap on_error ERR
# Every stage appends to the Airflow log: on a fresh clone its folder does not exist yet.
mkdir -p "$(svc_dir airflow)"

stage "1/4 services and warehouse migrations (sales_pipeline_setup)"
"${AIRFLOW[@]}" dags-test sales_pipeline_setup 2022-03-31 >>"$(svc_log airflow)" 2>&1

if [ "${DEMO_SYNTHETIC:-1}" = 0 ]; then
  say "demo: DEMO_SYNTHETIC=0, the synthetic dataset is skipped"
fi

stage "2/4 full-size dataset $DATASET"
if [ "${DEMO_SYNTHETIC:-1}" = 0 ]; then
  :
elif [ ! -s "$SOURCE" ]; then
  make --no-print-directory data ROWS="$ROWS" SEED="$SEED"
  [ -s "$SOURCE" ] || { say "make data did not write $SOURCE"; exit 1; }
fi

stage "3/4 the real sample, 2022-04-27..2022-04-30 (sales_pipeline_history)"
"${AIRFLOW[@]}" history 2022-04-27 2022-04-30 kaggle-sample >>"$(svc_log airflow)" 2>&1

stage "4/4 $DATASET, 2022-03-31..2022-06-29 in one history run"
if [ "${DEMO_SYNTHETIC:-1}" != 0 ]; then
  "${AIRFLOW[@]}" history 2022-03-31 2022-06-29 "$DATASET" "$SOURCE" >>"$(svc_log airflow)" 2>&1
fi

if [ "${DEMO_DAILY:-0}" = 1 ]; then
  stage "daily run of sales_pipeline for 2022-04-30"
  "${AIRFLOW[@]}" dags-test sales_pipeline 2022-04-30 >>"$(svc_log airflow)" 2>&1
fi

files="$STACK_HOME/s3/data/$S3_BUCKET"
cat <<SUMMARY

Demo finished in $((SECONDS - started))s.

  Quality reports (HTML) : $files/reports/quality/<suite>/dt=<date>/run_id=<run>/report.html
$(find "$files/reports/quality" -name report.html 2>/dev/null | sort | tail -n 3 | sed 's/^/                           /')
  Step results (JSON)    : $files/runs/<step>/dt=<date>/
  Warehouse              : make psql   (schema sales: fact_order_lines, dim_*, load_audit; schema marts: mart_*, features_*)
  Findings reports       : $files/reports/analysis/dataset=kaggle-sample/dt=2022-04-30/index.html
                           $files/reports/analysis/dataset=$DATASET/dt=2022-06-29/index.html (and findings.md)
  Model report           : $files/reports/models/dataset=$DATASET/dt=2022-06-29/index.html (forecast, backtest, segments)
  Dashboards (site)      : http://127.0.0.1:${DASHBOARD_PORT:-$((13300 + PGPORT - 15432))}/ after make dashboard DATASET=<id> (built by the DAGs into .local/dashboard/ and $files/reports/dashboard/)
  Airflow UI             : make airflow, then http://127.0.0.1:$AIRFLOW_PORT (these runs are in its history)
  Failure mails          : http://127.0.0.1:$SMTP_HTTP_PORT/
SUMMARY
