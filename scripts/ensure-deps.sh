#!/usr/bin/env bash
# Installs what Firebreak's demo and tests need on a Debian machine with Node 20: redis-server,
# prometheus (with promtool) and prometheus-alertmanager (with amtool) from Debian's packages (when
# missing) and the npm dependencies (when stale).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# The Redis Cluster and Sentinel tests start real clusters (redis-cli --cluster create) and Sentinels.
command -v redis-cli >/dev/null 2>&1 || need_apt+=(redis-tools)
command -v redis-sentinel >/dev/null 2>&1 || need_apt+=(redis-sentinel)
# Debian puts them in /usr/bin: prometheus, promtool, prometheus-alertmanager, amtool.
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 ||
  need_apt+=(prometheus-alertmanager)
if ((${#need_apt[@]})); then
  echo "firebreak: installing ${need_apt[*]} from Debian's packages" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # The packages' postinst scripts start their system services: Prometheus on :9090 (the sandbox's
  # default port), Alertmanager on :9093/:9094. The tests start private copies on free ports, so no
  # service may start: policy-rc.d answering 101 ("action forbidden") is the hook invoke-rc.d and
  # deb-systemd-invoke both obey. An existing policy-rc.d (Docker images ship one) is left alone.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# firebreak ensure-deps: no service starts during this install\nexit 101\n' |
      $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    own_policy=1
  fi
  status=0
  $SUDO apt-get update -qq &&
    # --no-install-recommends: prometheus recommends prometheus-node-exporter, one more daemon (:9100).
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" \
      >/dev/null || status=$?
  [ -z "$own_policy" ] || $SUDO rm -f "$policy"
  ((status == 0)) || exit "$status"
  # Under systemd the units are still enabled for the next boot: turn off the ones just installed
  # (stop too, in case something started them anyway) so a reboot does not take :9090.
  if [ -d /run/systemd/system ]; then
    for unit in prometheus prometheus-alertmanager; do
      [[ " ${need_apt[*]} " == *" $unit "* ]] && $SUDO systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
  fi
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "firebreak: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
