# The sales data pipeline. `make help` lists every target.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

DT ?= 2022-04-30
START ?= 2022-04-27
END ?= 2022-04-30
DATASET ?= kaggle-sample
SOURCE ?=
SUITE ?= silver_order_lines
ROWS ?= 128975
SEED ?= 1
FILE ?= ../shared/data/amazon_sale_report_sample.csv
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
# The e2e tier's own stack (stack/e2e.sh): `make down` and `make clean` stop it too.
E2E_HOME ?= $(ROOT)/.local/e2e
CLI := node $(ROOT)/tasks/dist/cli.js
# The quality gate's heap caps, as the DAG runners give them (plugins/sales_pipeline/steps.py).
QUALITY_NODE_OPTIONS := --max-old-space-size=192 --max-semi-space-size=8
TS_SOURCES := $(shell find tasks/src -name '*.ts' 2>/dev/null) tasks/tsconfig.json tasks/tsconfig.build.json tasks/package-lock.json

.PHONY: help setup build up down status airflow pipeline history backfill images glue-package lock-python psql sql-render lint test test-fast test-unit test-integration test-dags test-images test-glue test-e2e test-dashboards dashboard demo demo-smoke bench bench-analysis bench-dashboards bench-quality bench-warehouse bench-transform bench-ingest data profile task-quality-gate clean rotate-credentials

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9%_-]+:.*## / {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  Variables: DT=$(DT) (logical date for task-* and pipeline), SUITE=$(SUITE) (task-quality-gate), START=$(START) END=$(END) DATASET=$(DATASET) (history, backfill)"
	@echo "             ROWS=$(ROWS) SEED=$(SEED) (data, demo), FILE=$(FILE) (profile), SIZES (bench-*)"

setup: ## Install everything (apt, npm, PyPI, Maven Central, Go proxy) and generate local credentials; fast when done
	@bash stack/env.sh
	@source stack/lib.sh && npm_ci $(ROOT)/tasks
	@bash stack/dashboards.sh install
	@bash stack/stack.sh install
	@bash stack/python.sh install
	@bash stack/spark.sh install
	@$(if $(SKIP_BUILD),:,$(MAKE) build)

build: tasks/dist/cli.js ## Compile the TypeScript task program
	@:

tasks/dist/cli.js: $(TS_SOURCES)
	@echo "[build] tsc"
	@cd tasks && rm -rf dist && npx --no-install tsc -p tsconfig.build.json && chmod +x dist/cli.js

up: setup ## Start PostgreSQL, the S3 store, Kafka and the SMTP catcher (idempotent)
	@bash stack/stack.sh up

down: ## Stop every service the project started (the e2e tier's own stack under .local/e2e too)
	@bash stack/stack.sh down
	@if [ -f $(E2E_HOME)/env ]; then STACK_HOME=$(E2E_HOME) bash stack/stack.sh down >/dev/null; fi

status: ## Show each service's state, pid and address
	@bash stack/stack.sh status

airflow: up ## Start Airflow on 127.0.0.1:8080 with dags/ and plugins/, print the login
	@bash stack/airflow.sh start

pipeline: up ## Run the daily DAG for one date in-process with the local runner, e.g. make pipeline DT=2022-04-30
	@bash stack/airflow.sh dags-test sales_pipeline $(DT)

history: up ## Load START..END of DATASET in one run of sales_pipeline_history (SOURCE= overrides the file)
	@bash stack/airflow.sh history $(START) $(END) $(DATASET) $(SOURCE)

backfill: up ## One daily run per date START..END, in-process with the local runner, e.g. make backfill START=2022-04-27 END=2022-04-30
	@bash stack/airflow.sh backfill $(START) $(END)

images: build ## Build one image per step with docker or podman (IMAGE_REGISTRY=, IMAGE_TAG=), and the Glue package
	@bash images/build.sh

glue-package: build ## The Glue job exactly as glue-transform uploads it: script, package zip, manifest (dist/glue/)
	@node tasks/dist/commands/glue-transform/package-main.js dist/glue

lock-python: ## Re-resolve python/requirements.in into python/requirements.lock (with hashes)
	@bash stack/python.sh lock

psql: ## Open a psql shell on the warehouse as the task role (search_path: sales, public)
	@source stack/lib.sh && load_env && PGOPTIONS="-c search_path=$${WAREHOUSE_SCHEMA:-sales},public" PGPASSWORD="$$WAREHOUSE_PASSWORD" psql -h "$$PGHOST" -p "$$PGPORT" -U "$$WAREHOUSE_USER" "$$WAREHOUSE_DB"

sql-render: build ## Add the next migration a model change needs (sql/migrations/; SQL_RENDER_ARGS=--hand-written after writing one by hand) and re-render the load SQL (sql/load/)
	@node tasks/dist/warehouse/model/render-main.js $(SQL_RENDER_ARGS)

task-quality-gate: build ## Validate a date against a suite, e.g. make task-quality-gate SUITE=bronze_order_lines DT=2022-04-30
	@mkdir -p .local/xcom
	@NODE_OPTIONS="$(QUALITY_NODE_OPTIONS)" XCOM_PATH=$(ROOT)/.local/xcom/quality-gate.json $(CLI) quality-gate --suite $(SUITE) --dt $(DT) $(ARGS)

task-%: build ## Run one pipeline step locally against the stack, e.g. make task-doctor DT=2022-04-30
	@mkdir -p .local/xcom
	@XCOM_PATH=$(ROOT)/.local/xcom/$*.json $(CLI) $* --dt $(DT) $(ARGS)

lint: setup ## Type-check and lint TypeScript (tsc, eslint, prettier) and Python (ruff)
	@cd tasks && npx --no-install tsc -p tsconfig.json --noEmit && npx --no-install eslint . && npx --no-install prettier --check . --log-level warn
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

test-unit: setup ## Unit tests: no services needed (jest tasks/test/unit, pytest tests/sql, the bench comparisons' negative controls tests/bench)
	@cd tasks && npx --no-install jest --selectProjects unit
	@$(VENV)/bin/pytest -q tests/sql tests/bench

test-integration: up ## Integration tests against the real local services (jest, then the stack lifecycle)
	@cd tasks && npx --no-install jest --selectProjects integration --runInBand
	@$(VENV)/bin/pytest -q tests/stack

test-dags: setup ## DAG integrity tests (DagBag import, owners, retries, callbacks)
	@$(VENV)/bin/pytest -q tests/dags

test-images: build ## The step images' install steps outside a container, then every step's --help
	@$(VENV)/bin/pytest -q tests/images

test-e2e: setup build ## End to end: the DAGs under `airflow dags test` on a stack of their own (.local/e2e, ports +250; stack/e2e.sh)
	@bash stack/e2e.sh

test-dashboards: build up ## Dashboards: the fixture's marts -> dashboard step -> every page in headless Chromium (marks, KPIs, no errors, offline)
	@cd dashboards && node --import tsx --test --test-concurrency=1 test/*.test.mjs

test-glue: setup ## Transform tests on local Spark, no services: every cleaning rule, the job on the real sample
	@$(VENV)/bin/pytest -q tests/glue

test-fast: ## The edit loop: lint, unit and DAG tests side by side (make -j2), no services, no build of tasks/dist (they do not use it)
	@$(MAKE) -j2 --output-sync=target lint test-unit test-dags SKIP_BUILD=1

# make test's three lanes (stack/test-lanes.sh), at once: tiers that use no shared service; the tiers
# that use the developer's stack, one after another; e2e on its own stack. Each lane runs its tiers
# in this order.
# test-images runs first, alone: its bundle build has a fixed 2-minute timeout that a loaded
# machine plus the other lane can exceed.
TEST_LANE_LOCAL := lint test-unit test-dags test-glue demo-smoke
TEST_LANE_STACK := test-integration test-dashboards
TEST_LANE_E2E := test-e2e
test: setup ## Every test tier: images, then three lanes at once: lint, unit, DAGs, transform, demo smoke | integration, dashboards | e2e (what CI runs; logs in .local/test-logs)
	@bash stack/test-lanes.sh "test-images"
	@bash stack/test-lanes.sh "$(TEST_LANE_LOCAL)" "$(TEST_LANE_STACK)" "$(TEST_LANE_E2E)"

demo: up ## The main job: generate the full-size data, load the sample's 4 days and 91 synthetic days through Airflow
	@ROWS=$(ROWS) SEED=$(SEED) bash stack/demo.sh

demo-smoke: setup ## make demo (real sample; DEMO_SMOKE_SYNTHETIC=1 adds the synthetic 50,000 rows) on a fresh, empty stack folder with its own ports (.local/demo-smoke), then removed
	@ROWS=$(if $(filter command line,$(origin ROWS)),$(ROWS),50000) bash stack/demo-smoke.sh

dashboard: build up ## Build the dashboards site from DATASET's marts (the dashboard step, uploads to S3) and serve it on 127.0.0.1
	@mkdir -p .local/xcom
	@XCOM_PATH=$(ROOT)/.local/xcom/dashboard.json $(CLI) dashboard --dt $(DT) --dataset $(DATASET) $(ARGS)
	@bash stack/dashboards.sh serve $(DATASET)

data: build ## Generate a synthetic source file: make data ROWS=1000000 SEED=7 (-> .local/data/)
	@$(CLI) generate --rows $(ROWS) --seed $(SEED)

profile: build ## Profile CSV files side by side: make profile FILE="a.csv b.csv"
	@$(CLI) profile $(addprefix --source ,$(FILE))

bench: bench-ingest bench-quality bench-warehouse bench-transform bench-analysis bench-dashboards bench-models ## Benchmarks (results in bench/results/)

bench-quality: build ## Silver suite: our engine vs Great Expectations 1.x on 128,975 and 1M rows (SIZES=... to change)
	@bash stack/python.sh install-bench
	@NODE_OPTIONS="$(QUALITY_NODE_OPTIONS)" bash bench/quality/run.sh

bench-warehouse: up ## Warehouse: load rows/s beside multi-row INSERT and a bare COPY (128,975 and 1M rows, 91 days); analysis queries at 10M rows, partitioned+indexed vs plain
	@bash bench/warehouse/run.sh

.PHONY: bench-warehouse-memory
bench-warehouse-memory: up ## Warehouse: peak RSS of warehouse-load on a 10M-row silver day (parts and one file; BEFORE=<dist> runs another build beside)
	@bash bench/warehouse/memory.sh $(if $(BEFORE),--before $(BEFORE))

bench-analysis: up build ## Analysis: the full mart build at 128,975 and 10M rows, star schema vs an unpartitioned, unindexed copy (needs make demo's data)
	@source stack/lib.sh && load_env && $(VENV)/bin/python bench/analysis/run.py

bench-dashboards: up build ## Dashboards: train, build and page loads on bench-analysis's 10M-row marts (run make bench-analysis first)
	@source stack/lib.sh && load_env && $(VENV)/bin/python bench/dashboards/run.py

bench-ingest: up ## ingest-raw, stream-produce, stream-land vs kafka-producer-perf-test on 128,975 and 1M rows (SIZES=... to change)
	@$(VENV)/bin/python bench/ingest/run.py

bench-models: build ## Models: our forecaster and k-means vs statsmodels ExponentialSmoothing and scikit-learn KMeans on the 91-day synthetic data (make data first)
	@bash stack/python.sh install-bench
	@bash bench/models/run.sh

bench-transform: setup ## Transform: local Spark vs pandas on 128,975 and 1M rows, start-up cost, Glue cost estimate
	@bash stack/python.sh install-bench
	@$(VENV)/bin/python bench/transform/run.py

rotate-credentials: ## New local credentials for the warehouse role and the S3 store; restarts the stack
	@bash stack/stack.sh down
	@bash stack/env.sh --rotate
	@$(MAKE) up

clean: down ## Stop the stack and delete its data and logs (.local/), keeping cached tools
	@bash stack/postgres.sh purge
	@if [ -f $(E2E_HOME)/env ]; then STACK_HOME=$(E2E_HOME) bash stack/postgres.sh purge; fi
	@rm -rf .local tasks/dist
