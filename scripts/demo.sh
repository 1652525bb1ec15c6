#!/usr/bin/env bash
# `npm run demo`: installs what the demo needs when missing (redis-server, npm dependencies), then plays
# /incident 503 against the sandbox, a fake Slack and the real bot. REDIS_URL=… uses an existing Redis;
# DEMO_KEEP=1 keeps everything running afterwards until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec npx --no-install tsx src/demo/run-demo.ts "$@"
