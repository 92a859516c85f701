# The sales data pipeline. `make help` lists every target.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

DT ?= 2022-04-30
ROWS ?= 128975
SEED ?= 1
FILE ?= ../shared/data/amazon_sale_report_sample.csv
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
CLI := node $(ROOT)/tasks/dist/cli.js
TS_SOURCES := $(shell find tasks/src -name '*.ts' 2>/dev/null) tasks/tsconfig.json tasks/tsconfig.build.json tasks/package-lock.json

.PHONY: help setup build up down status airflow lock-python psql lint test test-unit test-integration test-dags demo bench bench-ingest data profile clean rotate-credentials

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9%_-]+:.*## / {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  Variables: DT=$(DT) (logical date for task-* targets), ROWS=$(ROWS) SEED=$(SEED) (data), FILE=$(FILE) (profile)"

setup: ## Install everything (apt, npm, PyPI, Maven Central, Go proxy) and generate local credentials; fast when done
	@bash stack/env.sh
	@source stack/lib.sh && npm_ci $(ROOT)/tasks
	@bash stack/stack.sh install
	@bash stack/python.sh install
	@$(MAKE) build

build: tasks/dist/cli.js ## Compile the TypeScript task program
	@:

tasks/dist/cli.js: $(TS_SOURCES)
	@echo "[build] tsc"
	@cd tasks && rm -rf dist && npx --no-install tsc -p tsconfig.build.json && chmod +x dist/cli.js

up: setup ## Start PostgreSQL, the S3 store, Kafka and the SMTP catcher (idempotent)
	@bash stack/stack.sh up

down: ## Stop every service the project started
	@bash stack/stack.sh down

status: ## Show each service's state, pid and address
	@bash stack/stack.sh status

airflow: up ## Start Airflow on 127.0.0.1:8080 with dags/ and plugins/, print the login
	@bash stack/airflow.sh start

lock-python: ## Re-resolve python/requirements.in into python/requirements.lock (with hashes)
	@bash stack/python.sh lock

psql: ## Open a psql shell on the warehouse as the task role
	@source stack/lib.sh && load_env && PGPASSWORD="$$WAREHOUSE_PASSWORD" psql -h "$$PGHOST" -p "$$PGPORT" -U "$$WAREHOUSE_USER" "$$WAREHOUSE_DB"

task-%: build ## Run one pipeline step locally against the stack, e.g. make task-doctor DT=2022-04-30
	@mkdir -p .local/xcom
	@XCOM_PATH=$(ROOT)/.local/xcom/$*.json $(CLI) $* --dt $(DT) $(ARGS)

lint: setup ## Type-check and lint TypeScript (tsc, eslint, prettier) and Python (ruff)
	@cd tasks && npx --no-install tsc -p tsconfig.json --noEmit && npx --no-install eslint . && npx --no-install prettier --check . --log-level warn
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

test-unit: setup ## Unit tests: no services needed
	@cd tasks && npx --no-install jest --selectProjects unit

test-integration: up ## Integration tests against the real local services (jest, then the stack lifecycle)
	@cd tasks && npx --no-install jest --selectProjects integration --runInBand
	@$(VENV)/bin/pytest -q tests/stack

test-dags: setup ## DAG integrity tests (DagBag import, owners, retries, callbacks)
	@$(VENV)/bin/pytest -q tests/dags

test: lint test-unit test-integration test-dags ## Every test tier (what CI runs)

demo: up ## The main job: set up, start the stack and show it is healthy
	@$(MAKE) task-doctor
	@bash stack/stack.sh status

data: build ## Generate a synthetic source file: make data ROWS=1000000 SEED=7 (-> .local/data/)
	@$(CLI) generate --rows $(ROWS) --seed $(SEED)

profile: build ## Profile CSV files side by side: make profile FILE="a.csv b.csv"
	@$(CLI) profile $(addprefix --source ,$(FILE))

bench: bench-ingest ## Benchmarks (results in bench/results/)

bench-ingest: up ## Ingest benchmark: ingest-raw, stream-produce, stream-land vs kafka-producer-perf-test (128,975 and 1M rows)
	@$(VENV)/bin/python bench/ingest/run.py $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))

rotate-credentials: ## New local credentials for the warehouse role and the S3 store; restarts the stack
	@bash stack/stack.sh down
	@bash stack/env.sh --rotate
	@$(MAKE) up

clean: down ## Stop the stack and delete its data and logs (.local/), keeping cached tools
	@bash stack/postgres.sh purge
	@rm -rf .local tasks/dist
