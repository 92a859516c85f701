#!/usr/bin/env bash
# The dashboards site (dashboards/: its own npm package and lock file) and the headless browser its
# tests drive. Usage: stack/dashboards.sh install | serve <dataset>
source "$(dirname "$0")/lib.sh"
DIR="$ROOT/dashboards"

# Debian's chromium and a font for the browser tests (playwright-core cannot download browsers here).
install_browser() {
  command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && return 0
  if [ "$(id -u)" != 0 ]; then say "run as root or: sudo apt-get install -y chromium fonts-dejavu-core"; exit 1; fi
  say "installing chromium and fonts-dejavu-core (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
}

case "${1:-}" in
  install)
    install_browser
    npm_ci "$DIR" ;;
  serve)
    load_env
    site="$STACK_HOME/dashboard/dataset=${2:?dataset}"
    # From the env file; one generated before DASHBOARD_PORT existed gets its base 13300 shifted by
    # the checkout's port offset (read back from the warehouse port, 15432 + offset).
    port="${DASHBOARD_PORT:-$((13300 + PGPORT - 15432))}"
    exec node "$DIR/lib/serve.mjs" "$site" "$port" ;;
  *) echo "usage: $0 install|serve <dataset>" >&2; exit 2 ;;
esac
