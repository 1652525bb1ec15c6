#!/usr/bin/env node
// `npx firebreak`. In a checkout it runs the TypeScript CLI through tsx (a dev dependency), so it needs
// no build; in a release (scripts/release.sh build: no src/, no tsx) it runs the compiled dist/cli.
// tsx is resolved from this file, not from the caller's directory, so the bin works from anywhere.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/cli/firebreak.ts', import.meta.url));
const compiled = fileURLToPath(new URL('../dist/cli/firebreak.js', import.meta.url));
let tsx;
try {
  tsx = import.meta.resolve('tsx');
} catch {
  tsx = undefined;
}
const entry = tsx && existsSync(source) ? ['--import', tsx, source] : [compiled];
const child = spawn(process.execPath, [...entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
child.on('error', (err) => {
  console.error(`firebreak: cannot start node: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  // Die of the same signal so the caller's shell sees what happened (e.g. 130 for Ctrl-C).
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
