#!/usr/bin/env bash
# The S3-compatible object store: versitygw with its posix backend, so every object is a plain file
# under .local/s3/data/<bucket>/<key>. Object metadata (ETag, content type, user metadata, checksums)
# lives in user xattrs on those files, or, where the filesystem has no user xattrs, in a sidecar
# tree under .local/s3/meta. The choice is made once per data folder and kept in
# .local/s3/metadata-mode, because versitygw cannot read metadata written the other way.
# Built once per machine from the Go module proxy into ~/.cache/sales-pipeline/versitygw-<version>/.
# Usage: stack/s3.sh install|start|stop|status
source "$(dirname "$0")/lib.sh"
SVC=s3
# Newest release on the Go module proxy (`go list -m -versions github.com/versity/versitygw`);
# its go.mod asks for Go >= 1.25.
VERSION=v1.8.0
MODULE=github.com/versity/versitygw
BIN_DIR="$TOOLS_HOME/versitygw-$VERSION/bin"
BIN="$BIN_DIR/versitygw"
DIR="$(svc_dir $SVC)"
DATA="$DIR/data"
SIDECAR="$DIR/meta"
MODE_FILE="$DIR/metadata-mode"
START_TIMEOUT=30

# ---------------------------------------------------------------------------------------------- install

install() {
  [ -x "$BIN" ] && return 0
  command -v go >/dev/null || {
    say "ERROR s3: Go >= 1.25 is needed once to build versitygw $VERSION (https://go.dev/dl or apt)"; exit 1; }
  say "s3: building versitygw $VERSION with $(go env GOVERSION) from the Go module proxy (once per machine; about a minute on 2 cores)"
  mkdir -p "$BIN_DIR"
  # Build into a private folder and move the binary into place only when it runs, so an interrupted
  # or concurrent build never leaves a half-written binary where the fast path would trust it.
  local stage t0=$SECONDS
  stage="$(mktemp -d "$BIN_DIR.partial.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$stage'" EXIT
  GOBIN="$stage" CGO_ENABLED=0 go install -trimpath \
      -ldflags "-s -w -X main.Version=$VERSION -X main.Build=goproxy -X main.BuildTime=$(date -u +%FT%TZ)" \
      "$MODULE/cmd/versitygw@$VERSION" \
    || { say "ERROR s3: 'go install $MODULE/cmd/versitygw@$VERSION' failed (see the output above)"; exit 1; }
  "$stage/versitygw" --version >/dev/null 2>&1 || { say "ERROR s3: the freshly built versitygw does not run"; exit 1; }
  mv -f "$stage/versitygw" "$BIN"
  rm -rf "$stage"; trap - EXIT
  say "s3: versitygw $VERSION built in $((SECONDS - t0))s -> $BIN"
}

# ---------------------------------------------------------------------------------------------- helpers

port() { local p="${S3_ENDPOINT##*:}"; printf '%s' "${p%%/*}"; }

# The endpoint must name the loopback interface: the gateway is only ever bound to 127.0.0.1.
check_endpoint() {
  case "$S3_ENDPOINT" in
    http://127.0.0.1:[0-9]*|http://localhost:[0-9]*) ;;
    *) fail $SVC "S3_ENDPOINT=$S3_ENDPOINT in $ENV_FILE must be http://127.0.0.1:<port> (the local store listens on loopback only)" ;;
  esac
}

# A signed S3 call (SigV4) with curl. The empty-payload hash header is set explicitly: curl 7.x does
# not add x-amz-content-sha256, and S3 servers require it. Calls with a body pass their own hash.
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
s3_curl() {
  curl -sS --max-time 10 --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY_ID:$S3_SECRET_ACCESS_KEY" "$@"
}
# Healthy = ListBuckets signed with our keys answers 200 (proves the server, the keys and the region).
healthy() { s3_curl -f -o /dev/null -H "x-amz-content-sha256: $EMPTY_SHA256" "$S3_ENDPOINT/"; }

# The pid file is trusted only while it names our versitygw binary: after a reboot the number may
# belong to an unrelated process, which `stop` would otherwise signal.
forget_stale_pid() {
  local pf pid exe; pf="$(svc_pidfile $SVC)"
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf")"
  if ! kill -0 "$pid" 2>/dev/null; then rm -f "$pf"; return 0; fi
  [ -e /proc/self/exe ] || return 0            # no procfs: trust the pid file
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  case "$exe" in "$BIN"|"$BIN (deleted)") ;; *) rm -f "$pf" ;; esac
}

# xattrs_work <dir>: true when files in <dir> accept user.* extended attributes.
xattrs_work() {
  local f rc=1; f="$(mktemp "$1/.xattr-probe.XXXXXX")"
  if command -v setfattr >/dev/null 2>&1; then
    setfattr -n user.versitygw.probe -v 1 "$f" 2>/dev/null && rc=0
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.versitygw.probe", b"1")' "$f" 2>/dev/null && rc=0
  else
    rc=2  # no tool to ask with
  fi
  rm -f "$f"; return $rc
}

# Prints xattr or sidecar; decided at the first start of a data folder and then kept.
metadata_mode() {
  if [ ! -f "$MODE_FILE" ]; then
    local mode rc=0
    if [ -n "$(ls -A "$SIDECAR" 2>/dev/null)" ]; then
      mode=sidecar   # a data folder from before the mode was recorded, written with --sidecar
    else
      xattrs_work "$DATA" || rc=$?
      case $rc in
        0) mode=xattr ;;
        1) mode=sidecar; say "s3: $DATA has no user xattrs; object metadata goes to the sidecar folder $SIDECAR" ;;
        *) mode=sidecar; say "s3: no setfattr or python3 to test user xattrs; using the sidecar folder $SIDECAR" ;;
      esac
    fi
    printf '%s\n' "$mode" >"$MODE_FILE"
  fi
  cat "$MODE_FILE"
}

# Creates $S3_BUCKET unless it exists (HEAD 200). A concurrent creator's 409 counts as success.
ensure_bucket() {
  local code
  code="$(s3_curl -o /dev/null -w '%{http_code}' -I -H "x-amz-content-sha256: $EMPTY_SHA256" \
          "$S3_ENDPOINT/$S3_BUCKET" 2>/dev/null || true)"
  case "$code" in
    200) return 0 ;;
    404) ;;
    *) fail $SVC "HEAD bucket $S3_BUCKET answered HTTP ${code:-none}" ;;
  esac
  code="$(s3_curl -o "$DIR/.create-bucket.out" -w '%{http_code}' -X PUT \
          -H "x-amz-content-sha256: $EMPTY_SHA256" "$S3_ENDPOINT/$S3_BUCKET" || true)"
  case "$code" in
    200) say "s3: created bucket $S3_BUCKET" ;;
    409) ;;
    *) cat "$DIR/.create-bucket.out" >&2 2>/dev/null || true
       fail $SVC "could not create bucket $S3_BUCKET (HTTP ${code:-none})" ;;
  esac
  rm -f "$DIR/.create-bucket.out"
}

# ---------------------------------------------------------------------------------------------- commands

start() {
  load_env; check_endpoint; install
  forget_stale_pid
  if is_running $SVC; then
    # Ours and alive: healthy now, or give a concurrent start the same time budget to finish.
    local deadline=$((SECONDS + START_TIMEOUT))
    until healthy >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$deadline" ] && is_running $SVC || \
        fail $SVC "pid $(cat "$(svc_pidfile $SVC)") runs but does not answer signed S3 requests on $S3_ENDPOINT; restart it: bash stack/s3.sh stop && bash stack/s3.sh start"
      sleep 0.5
    done
    ensure_bucket
    say "$SVC already running on $S3_ENDPOINT (pid $(cat "$(svc_pidfile $SVC)"))"
    return 0
  fi
  require_port $SVC "$(port)"
  mkdir -p "$DATA"
  local mode meta_args=()
  mode="$(metadata_mode)"
  case "$mode" in
    sidecar) mkdir -p "$SIDECAR"; meta_args=(--sidecar "$SIDECAR") ;;
    xattr) xattrs_work "$DATA" || fail $SVC "$DATA was set up with xattr metadata ($MODE_FILE) but its filesystem no longer accepts user xattrs" ;;
    *) fail $SVC "unknown metadata mode '$mode' in $MODE_FILE (xattr or sidecar)" ;;
  esac
  local t0; t0="$(date +%s%N)"
  # A clean environment: the keys reach the gateway through it (never the command line, which ps
  # shows), and no stray VGW_* variable from the caller's shell changes its configuration.
  # No --keep-alive (each response closes its connection): with it, v1.8.0 leaves a reused connection
  # unusable after an aws-chunked upload (the AWS SDK's default CRC32 streaming PUT), so every second
  # streaming PutObject failed with EPIPE. A loopback reconnect costs well under a millisecond.
  start_daemon $SVC env -i PATH="$PATH" HOME="$HOME" \
    ROOT_ACCESS_KEY="$S3_ACCESS_KEY_ID" ROOT_SECRET_KEY="$S3_SECRET_ACCESS_KEY" \
    "$BIN" --port "127.0.0.1:$(port)" --region "$S3_REGION" \
    posix "${meta_args[@]}" "$DATA"
  local i; for i in $(seq 1 20); do healthy >/dev/null 2>&1 && break; sleep 0.05; done  # usually up in <0.1 s
  wait_until $SVC $START_TIMEOUT healthy
  local ms=$((($(date +%s%N) - t0) / 1000000))
  ensure_bucket
  say "$SVC ready on $S3_ENDPOINT in ${ms} ms (pid $(cat "$(svc_pidfile $SVC)"), bucket $S3_BUCKET, $mode metadata, files under $DATA)"
}

stop() {
  forget_stale_pid
  if is_running $SVC; then stop_daemon $SVC; say "$SVC stopped"; else say "$SVC not running"; fi
}

status() {
  load_env
  forget_stale_pid
  if is_running $SVC && ! healthy >/dev/null 2>&1; then
    printf '%-9s unhealthy pid %-7s %s (no answer to a signed ListBuckets; log: %s)\n' \
      $SVC "$(cat "$(svc_pidfile $SVC)")" "$S3_ENDPOINT" "$(svc_log $SVC)"
    return 1
  fi
  print_status $SVC "$S3_ENDPOINT" healthy
}

case "${1:-}" in
  install) install; say "s3: versitygw $VERSION at $BIN" ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
