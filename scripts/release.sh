#!/usr/bin/env bash
# Builds and starts Firebreak's production build: the one script behind the Dockerfile, `npm start`
# and `npm run worker`, so what the tests run here is what a container runs.
#
#   scripts/release.sh build <dir>          compile the bot (tsconfig.build.json) and lay out a
#                                           self-contained release in <dir>: dist/, commands/, bin/,
#                                           this script, and production dependencies only
#   scripts/release.sh start [bot|worker] [args…]
#                                           exec plain Node on dist/ (the process becomes Node, so
#                                           signals reach it, also as PID 1); in a checkout with src/,
#                                           builds dist/ first when it is missing or older than src/
#   scripts/release.sh healthcheck [bot|worker]
#                                           exit 0 when the process answers GET /healthz
#
# The role defaults to FIREBREAK_ROLE, else bot.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command="${1:-}"
shift || true

role_entry() {
  case "$1" in
    bot) echo dist/main.js ;;
    worker) echo dist/worker-main.js ;;
    *)
      echo "firebreak: unknown role '$1': use bot or worker (or set FIREBREAK_ROLE)" >&2
      exit 2
      ;;
  esac
}

# A checkout (src/ present) rebuilds dist/ when a source is newer; a release (no src/) runs what it has.
ensure_built() {
  cd "$root"
  [ -d src ] || return 0
  if [ -f dist/main.js ] && [ -f dist/worker-main.js ] &&
    [ -z "$(find src tsconfig.json tsconfig.build.json -newer dist/main.js -print -quit)" ]; then
    return 0
  fi
  if [ ! -x node_modules/.bin/tsc ]; then
    echo "firebreak: dist/ is missing or older than src/, and TypeScript is not installed here" \
      "(npm ci --omit=dev?). Run \`npm ci && npm run build\`, or ship a release made by" \
      "\`scripts/release.sh build <dir>\`." >&2
    exit 1
  fi
  echo "firebreak: building dist/ (npm run build)" >&2
  node_modules/.bin/tsc -p tsconfig.build.json
}

case "$command" in
  build)
    out="${1:?usage: scripts/release.sh build <dir>}"
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    cd "$root"
    if [ -n "$(ls -A "$out")" ]; then
      echo "firebreak: $out is not empty; give an empty or new directory" >&2
      exit 1
    fi
    node_modules/.bin/tsc -p tsconfig.build.json --outDir "$out/dist"
    mkdir -p "$out/scripts"
    cp package.json package-lock.json "$out/"
    cp -R commands bin "$out/"
    cp scripts/release.sh "$out/scripts/"
    # Production dependencies only (no TypeScript, tsx, esbuild or test tools), exactly as locked.
    # --ignore-scripts: a release runs no one else's install code. --prefer-offline: the build stage
    # has just installed the same versions, so the cache has them.
    (cd "$out" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)
    # The one native addon (better-sqlite3, the postmortem's read-only SQL) is the checkout's own build:
    # `npm ci` compiled it here for this Node and this platform, which the runtime image shares.
    addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
    if [ ! -f "$addon" ]; then
      echo "firebreak: $addon is missing: run \`npm rebuild better-sqlite3\` (it needs python3, make and g++)" >&2
      exit 1
    fi
    mkdir -p "$out/$(dirname "$addon")"
    cp "$addon" "$out/$addon"
    echo "firebreak: release in $out (start it with: $out/scripts/release.sh start [bot|worker])" >&2
    ;;
  start)
    role="${FIREBREAK_ROLE:-bot}"
    # A first word names the role (checked below); options after it are the process's.
    case "${1:-}" in
      "" | --*) ;;
      *) role="$1" && shift ;;
    esac
    entry="$(role_entry "$role")"
    ensure_built
    cd "$root"
    # exec: no shell stays between the supervisor (docker, systemd, npm) and Node. The rest of the
    # arguments are the process's own: `npm run worker -- --role generation`.
    exec node --enable-source-maps "$entry" "$@"
    ;;
  healthcheck)
    role="${1:-${FIREBREAK_ROLE:-bot}}"
    role_entry "$role" >/dev/null
    if [ "$role" = worker ]; then port="${WORKER_PORT:-3101}"; else port="${METRICS_PORT:-${PORT:-3100}}"; fi
    # Node's fetch: the slim image has no curl or wget.
    exec node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then(
        (res) => process.exit(res.ok ? 0 : 1),
        () => process.exit(1),
      );' "http://127.0.0.1:${port}/healthz"
    ;;
  *)
    echo "usage: scripts/release.sh build <dir> | start [bot|worker] | healthcheck [bot|worker]" >&2
    exit 2
    ;;
esac
