#!/usr/bin/env bash
# Installs what Firebreak's demo and tests need on a Debian machine with Node 20:
# redis-server from Debian's packages (when missing) and the npm dependencies (when stale).
set -euo pipefail
cd "$(dirname "$0")/.."

# Without root and without sudo nothing can be installed: say exactly what to do instead.
no_root_advice() {
  local user
  user="$(id -un 2>/dev/null || echo "uid $(id -u)")"
  cat >&2 <<EOF
firebreak: $* is missing, and installing it needs root: you are $user and sudo is not installed.
Do one of these, then run this command again:
  - ask someone with root to run:
      apt-get update && apt-get install -y $*
  - or, without root, unpack Debian's packages into your home and put them on PATH:
      mkdir -p ~/.local/redis && cd ~/.local/redis
      apt-get download redis-server redis-tools libjemalloc2 liblzf1
      for deb in ./*.deb; do dpkg-deb -x "\$deb" .; done
      export PATH="\$HOME/.local/redis/usr/bin:\$PATH"
      export LD_LIBRARY_PATH="\$HOME/.local/redis/usr/lib/\$(uname -m)-linux-gnu"
  - or put any redis-server (Redis 6.2 or newer) on PATH: the tests and the demo start their own
    on a free loopback port, and never touch a Redis that is already running.
EOF
  exit 1
}

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if ((${#need_apt[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || no_root_advice "${need_apt[@]}"
    SUDO="sudo"
  fi
  echo "firebreak: installing ${need_apt[*]} from Debian's packages" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "firebreak: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
