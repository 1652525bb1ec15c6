#!/usr/bin/env bash
# Installs what Firebreak's demo and tests need on a Debian machine with Node 20: redis-server and
# the programs of the runbook's command probes (lsof, ss from iproute2, ps from procps) from Debian's
# packages (when missing), and the npm dependencies (when stale).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v lsof >/dev/null 2>&1 || need_apt+=(lsof)
command -v ss >/dev/null 2>&1 || need_apt+=(iproute2)
command -v ps >/dev/null 2>&1 || need_apt+=(procps)
if ((${#need_apt[@]})); then
  echo "firebreak: installing ${need_apt[*]} from Debian's packages" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "firebreak: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
