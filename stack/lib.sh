#!/usr/bin/env bash
# Shared helpers for the local stack scripts. Source it; do not run it.
# Layout: every service keeps its data, log and pid file under $STACK_HOME/<service>/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_HOME="${STACK_HOME:-$ROOT/.local}"
# Built tools are cached per machine, keyed by version, so a fresh clone reuses them.
TOOLS_HOME="${SALES_PIPELINE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/sales-pipeline}"
ENV_FILE="$STACK_HOME/env"
export ROOT STACK_HOME TOOLS_HOME ENV_FILE

say() { printf '[stack] %s\n' "$*" >&2; }

# fail <service> <message>: print an actionable error naming the service and its log, exit 1.
fail() {
  local svc="$1"; shift
  printf '[stack] ERROR %s: %s\n' "$svc" "$*" >&2
  printf '[stack]        log: %s\n' "$(svc_log "$svc")" >&2
  exit 1
}

svc_dir() { printf '%s/%s' "$STACK_HOME" "$1"; }
svc_log() { printf '%s/%s/%s.log' "$STACK_HOME" "$1" "$1"; }
svc_pidfile() { printf '%s/%s/%s.pid' "$STACK_HOME" "$1" "$1"; }

# Load the generated credentials and ports (created by stack/env.sh at `make setup`).
load_env() {
  if [ ! -f "$ENV_FILE" ]; then
    say "no $ENV_FILE yet: run 'make setup' first"; exit 1
  fi
  set -a; # shellcheck disable=SC1090
  . "$ENV_FILE"; set +a
}

# is_running <service>: true when the pid file names a live process.
is_running() {
  local pf; pf="$(svc_pidfile "$1")"
  [ -f "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# port_free <port>: true when nothing listens on 127.0.0.1:<port>.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# require_port <service> <port>: refuse to start when another program holds the port.
require_port() {
  port_free "$2" || fail "$1" "port 127.0.0.1:$2 is already in use by another program (find it with: ss -ltnp 'sport = :$2')"
}

# start_daemon <service> <command...>: run detached in its own session (process group), log and pid under .local.
start_daemon() {
  local svc="$1"; shift
  mkdir -p "$(svc_dir "$svc")"
  local log; log="$(svc_log "$svc")"
  printf '\n===== start %s =====\n' "$(date -u +%FT%TZ)" >>"$log"
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$(svc_pidfile "$svc")"
}

# wait_until <service> <seconds> <command...>: poll until the command succeeds; fail naming the service.
wait_until() {
  local svc="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$svc"; then
      tail -n 20 "$(svc_log "$svc")" >&2 || true
      fail "$svc" "process exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      stop_daemon "$svc"  # never leave a half-started process behind
      fail "$svc" "not healthy after ${secs}s"
    fi
    sleep 0.5
  done
}

# stop_daemon <service>: TERM the whole process group, then KILL after a grace period.
stop_daemon() {
  local svc="$1" pf; pf="$(svc_pidfile "$svc")"
  if ! is_running "$svc"; then rm -f "$pf"; return 0; fi
  local pid; pid="$(cat "$pf")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pf"
}

# Install stamps: an install step is skipped while the sha256 of its inputs is unchanged.
# stamp_fresh <stamp file> <input files...>; stamp_write <stamp file> <input files...>
stamp_fresh() { local s="$1"; shift; [ -f "$s" ] && [ "$(cat "$s")" = "$(cat "$@" | sha256sum)" ]; }
stamp_write() { local s="$1"; shift; cat "$@" | sha256sum >"$s"; }

# npm_ci <package dir>: reproducible install from the lock file (and patches/, which the package's
# postinstall applies), skipped when nothing changed.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.install-stamp"
  local inputs=("$dir/package.json" "$dir/package-lock.json")
  [ -d "$dir/patches" ] && inputs+=("$dir"/patches/*)
  stamp_fresh "$stamp" "${inputs[@]}" && return 0
  say "npm ci in ${dir#"$ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { say "npm ci failed in $dir"; exit 1; }
  stamp_write "$stamp" "${inputs[@]}"
}

# print_status <service> <address> <health command...>: one line per service; returns 3 when stopped.
print_status() {
  local svc="$1" addr="$2"; shift 2
  if is_running "$svc" && "$@" >/dev/null 2>&1; then
    printf '%-9s running  pid %-7s %s\n' "$svc" "$(cat "$(svc_pidfile "$svc")")" "$addr"
  else
    printf '%-9s stopped\n' "$svc"; return 3
  fi
}
