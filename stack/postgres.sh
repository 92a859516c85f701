#!/usr/bin/env bash
# PostgreSQL 15, the local stand-in for Redshift: our own cluster under .local/postgres,
# a `warehouse` database and a non-superuser role that the tasks use.
# Usage: stack/postgres.sh install|start|stop|status|purge
source "$(dirname "$0")/lib.sh"
SVC=postgres
PGBIN=/usr/lib/postgresql/15/bin

AS_PG=()
[ "$(id -u)" = 0 ] && AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --)
as_pg() { "${AS_PG[@]}" "$@"; }

# The cluster lives under .local/postgres, unless we run as root in a checkout the `postgres` user
# cannot reach (e.g. below a 0700 temp folder): then under /var/lib/sales-pipeline/, one folder per
# checkout, with .local/postgres/data linking to it. Log and pid file stay in .local/postgres.
pg_base() {
  local dir; dir="$(svc_dir $SVC)"
  if [ "$(id -u)" != 0 ] || as_pg test -x "$STACK_HOME" 2>/dev/null; then printf '%s' "$dir"; return; fi
  printf '/var/lib/sales-pipeline/postgres-%s' "$(printf '%s' "$STACK_HOME" | sha256sum | cut -c1-12)"
}
BASE="$(pg_base)"
DATA="$BASE/data"

# PostgreSQL refuses to run as root: drop to the `postgres` system user when we are root.
install() {
  [ -x "$PGBIN/postgres" ] && return 0
  say "installing PostgreSQL 15 from Debian packages"
  if [ "$(id -u)" != 0 ]; then say "run as root or: sudo apt-get install -y postgresql-15"; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
}

healthy() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; }

superuser_sql() {
  PGPASSWORD="$PG_SUPERUSER_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"
}

init_cluster() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  say "initialising cluster in $DATA"
  mkdir -p "$DATA"
  local pwfile="$BASE/.pwfile"
  printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$BASE"; fi
  [ "$BASE" = "$(svc_dir $SVC)" ] || ln -sfn "$DATA" "$(svc_dir $SVC)/data"
  chmod 700 "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >>"$(svc_log $SVC)" 2>&1 || fail $SVC "initdb failed"
  rm -f "$pwfile"
}

# Creates the role and database once; safe to repeat.
provision() {
  superuser_sql -d postgres -v role="$WAREHOUSE_USER" -v pw="$WAREHOUSE_PASSWORD" -v db="$WAREHOUSE_DB" <<'SQL'
select format('create role %I login password %L', :'role', :'pw')
 where not exists (select 1 from pg_roles where rolname = :'role') \gexec
select format('alter role %I password %L', :'role', :'pw') \gexec
select format('create database %I owner %I', :'db', :'role')
 where not exists (select 1 from pg_database where datname = :'db') \gexec
SQL
}

start() {
  load_env; install
  if is_running $SVC && healthy; then say "$SVC already running on 127.0.0.1:$PGPORT"; return 0; fi
  require_port $SVC "$PGPORT"
  mkdir -p "$(svc_dir $SVC)" "$BASE"; touch "$(svc_log $SVC)"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$BASE"
  init_cluster
  # -k: the Unix socket lives in our folder, not /var/run; listen on loopback only.
  start_daemon $SVC "${AS_PG[@]}" "$PGBIN/postgres" -D "$DATA" -h 127.0.0.1 -p "$PGPORT" \
    -k "$BASE" -c logging_collector=off -c shared_buffers=128MB -c fsync=on
  wait_until $SVC 30 healthy
  provision || fail $SVC "could not create role $WAREHOUSE_USER / database $WAREHOUSE_DB"
  say "$SVC ready on 127.0.0.1:$PGPORT (database $WAREHOUSE_DB, role $WAREHOUSE_USER)"
}

status() {
  load_env
  print_status $SVC "127.0.0.1:$PGPORT" healthy
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_daemon $SVC ;;
  status) status ;;
  # Deletes the cluster (all warehouse data) when it lives outside .local; `make clean` calls it.
  purge) stop_daemon $SVC; [ "$BASE" = "$(svc_dir $SVC)" ] || rm -rf "$BASE" ;;
  *) echo "usage: $0 install|start|stop|status|purge" >&2; exit 2 ;;
esac
