#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a runtime dependency), so `npx firebreak` needs no build.
// tsx is resolved from this file, not from the caller's directory, so the bin works from anywhere.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/firebreak.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), cli, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
child.on('error', (err) => {
  console.error(`firebreak: cannot start node: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  // Die of the same signal so the caller's shell sees what happened (e.g. 130 for Ctrl-C).
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
