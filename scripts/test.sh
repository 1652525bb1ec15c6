#!/usr/bin/env bash
# The one command that sets up and runs every check: lint, type check, architecture rules, and all vitest suites
# (unit, integration against a private redis-server, end-to-end against a fake Slack Web API).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "== lint (biome)"
npx --no-install biome check .
echo "== type check (tsc)"
npx --no-install tsc -p tsconfig.json --noEmit
echo "== architecture (dependency-cruiser: .dependency-cruiser.cjs)"
npx --no-install depcruise src --config .dependency-cruiser.cjs --output-type err
echo "== tests (vitest)"
mkdir -p .tmp
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@" || status=$?
# The plain closing line any CI reader understands, from vitest's own JSON report.
node -e 'const r = require("./.tmp/vitest.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""))' || true
exit "$status"
