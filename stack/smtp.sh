#!/usr/bin/env bash
# The SMTP catcher (maildev): receives every mail the pipeline sends and shows it on a web page
# and a REST API (GET /api/email). Usage: stack/smtp.sh install|start|stop|status
source "$(dirname "$0")/lib.sh"
SVC=smtp
DIR="$ROOT/stack/smtp"

healthy() { curl -fsS -o /dev/null "http://127.0.0.1:$SMTP_HTTP_PORT/api/email" && (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT"); }

start() {
  load_env; npm_ci "$DIR"
  if is_running $SVC && healthy; then say "$SVC already running"; return 0; fi
  require_port $SVC "$SMTP_PORT"; require_port $SVC "$SMTP_HTTP_PORT"
  mkdir -p "$(svc_dir $SVC)/mail"
  start_daemon $SVC "$DIR/node_modules/.bin/maildev" \
    --ip 127.0.0.1 --smtp "$SMTP_PORT" --web-ip 127.0.0.1 --web "$SMTP_HTTP_PORT" \
    --mail-directory "$(svc_dir $SVC)/mail"
  wait_until $SVC 30 healthy
  say "$SVC ready: SMTP 127.0.0.1:$SMTP_PORT, inbox http://127.0.0.1:$SMTP_HTTP_PORT/"
}

status() {
  load_env
  print_status $SVC "smtp://127.0.0.1:$SMTP_PORT  http://127.0.0.1:$SMTP_HTTP_PORT" healthy
}

case "${1:-}" in
  install) npm_ci "$DIR" ;;
  start) start ;;
  stop) stop_daemon $SVC ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
