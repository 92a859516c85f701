#!/usr/bin/env bash
# make bench-warehouse-memory: see memory.py. Needs the local stack (make up) and the built CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
source stack/lib.sh
load_env
exec .venv/bin/python bench/warehouse/memory.py "$@"
