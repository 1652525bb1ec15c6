#!/usr/bin/env bash
# Installs what Firebreak's demo and tests need on a Debian machine with Node 20: redis-server,
# prometheus (with promtool) and prometheus-alertmanager (with amtool), and the programs of the
# runbook's command probes (lsof, ss from iproute2, ps from procps) from Debian's packages (when
# missing), and the npm dependencies (when stale).
set -euo pipefail
cd "$(dirname "$0")/.."

# Without root and without sudo nothing can be installed: say exactly what to do instead.
no_root_advice() {
  local user pkg download=() dir='$HOME/.local/firebreak-deps'
  user="$(id -un 2>/dev/null || echo "uid $(id -u)")"
  # Each package with the libraries its programs link that a minimal Debian 12 may lack (ldd).
  for pkg in "$@"; do
    case "$pkg" in
      redis-server) download+=(redis-server redis-tools) ;;
      lsof | iproute2) download+=("$pkg" libtirpc3 libtirpc-common) ;;
      procps) download+=(procps libproc2-0) ;;
      *) download+=("$pkg") ;;
    esac
  done
  local -A seen=()
  local unique=()
  for pkg in "${download[@]}"; do
    [ -n "${seen[$pkg]:-}" ] || unique+=("$pkg")
    seen[$pkg]=1
  done
  cat >&2 <<EOF
firebreak: missing Debian packages: $*. Installing them needs root: you are $user and sudo is not installed.
Do one of these, then run this command again:
  - ask someone with root to run:
      apt-get update && apt-get install -y --no-install-recommends $*
  - or, without root, unpack Debian's packages into your home and put them on PATH:
      mkdir -p $dir && cd $dir
      apt-get download ${unique[*]}
      for deb in ./*.deb; do dpkg-deb -x "\$deb" .; done
      export PATH="$dir/usr/bin:$dir/usr/sbin:$dir/bin:$dir/sbin:\$PATH"
      export LD_LIBRARY_PATH="$dir/usr/lib/\$(uname -m)-linux-gnu:$dir/lib/\$(uname -m)-linux-gnu"
    (apt-get download reads apt's package lists: when it cannot locate a package, they are empty,
    and only root can fill them with apt-get update)
  - or put those programs (redis-server 6.2 or newer, prometheus, promtool, prometheus-alertmanager,
    amtool, lsof, ss, ps) on PATH some other way: the tests and the demo start their own servers on
    free loopback ports, and never touch one that is already running.
EOF
  exit 1
}

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# Debian puts them in /usr/bin: prometheus, promtool, prometheus-alertmanager, amtool.
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 ||
  need_apt+=(prometheus-alertmanager)
command -v lsof >/dev/null 2>&1 || need_apt+=(lsof)
command -v ss >/dev/null 2>&1 || need_apt+=(iproute2)
command -v ps >/dev/null 2>&1 || need_apt+=(procps)
# The Redis Cluster and Sentinel tests start real clusters (redis-cli --cluster create) and Sentinels.
command -v redis-cli >/dev/null 2>&1 || need_apt+=(redis-tools)
command -v redis-sentinel >/dev/null 2>&1 || need_apt+=(redis-sentinel)
if ((${#need_apt[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || no_root_advice "${need_apt[@]}"
    SUDO="sudo"
  fi
  echo "firebreak: installing ${need_apt[*]} from Debian's packages" >&2
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
