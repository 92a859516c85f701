#!/usr/bin/env bash
# The S3-compatible object store: versitygw with its posix backend, so every object is a plain file
# under .local/s3/data/<bucket>/<key> (metadata in a sidecar folder). Built once per machine from
# the Go module proxy. Usage: stack/s3.sh install|start|stop|status
source "$(dirname "$0")/lib.sh"
SVC=s3
VERSION=v1.8.0
BIN="$TOOLS_HOME/versitygw-$VERSION/bin/versitygw"
DIR="$(svc_dir $SVC)"

install() {
  [ -x "$BIN" ] && return 0
  command -v go >/dev/null || { say "ERROR s3: Go is needed to build versitygw (apt-get install golang, or a Go >= 1.25)"; exit 1; }
  say "building versitygw $VERSION from the Go module proxy (a few minutes on 2 cores, once per machine)"
  GOBIN="$(dirname "$BIN")" GOFLAGS=-trimpath go install "github.com/versity/versitygw/cmd/versitygw@$VERSION" \
    || { say "ERROR s3: go install of versitygw failed (see the output above)"; exit 1; }
}

port() { local p="${S3_ENDPOINT##*:}"; printf '%s' "${p%%/*}"; }

# A signed S3 call (SigV4) with curl: proves the gateway answers and accepts our keys.
s3_curl() {
  curl -fsS --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY_ID:$S3_SECRET_ACCESS_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$@"
}
healthy() { s3_curl -o /dev/null "$S3_ENDPOINT/"; }

create_bucket() {
  s3_curl -o /dev/null -I "$S3_ENDPOINT/$S3_BUCKET" 2>/dev/null && return 0
  s3_curl -o /dev/null -X PUT "$S3_ENDPOINT/$S3_BUCKET" || fail $SVC "could not create bucket $S3_BUCKET"
}

start() {
  load_env; install
  if is_running $SVC && healthy; then say "$SVC already running on $S3_ENDPOINT"; return 0; fi
  require_port $SVC "$(port)"
  mkdir -p "$DIR/data" "$DIR/meta"
  # Keys through the environment, never on the command line (ps shows command lines).
  ROOT_ACCESS_KEY_ID="$S3_ACCESS_KEY_ID" ROOT_SECRET_ACCESS_KEY="$S3_SECRET_ACCESS_KEY" \
    start_daemon $SVC "$BIN" --port "127.0.0.1:$(port)" --region "$S3_REGION" \
    posix --sidecar "$DIR/meta" "$DIR/data"
  wait_until $SVC 30 healthy
  create_bucket
  say "$SVC ready on $S3_ENDPOINT (bucket $S3_BUCKET, files under $DIR/data)"
}

status() {
  load_env
  print_status $SVC "$S3_ENDPOINT" healthy
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_daemon $SVC ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
