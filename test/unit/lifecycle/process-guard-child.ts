// Run by process-guard.test.ts in its own process: the guard as main.ts installs it, then errors
// nothing catches, exactly as a bug in a callback would raise them.
import { installProcessGuard } from '../../../src/lifecycle/process-guard.js';
import { createLogger } from '../../../src/logging/logger.js';

const log = createLogger('info');
const guard = installProcessGuard({ log, stopTimeoutMs: 2000 });
guard.onFatal(async () => {
  process.stdout.write('STOPPING\n');
});
const step = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void Promise.reject(new Error('a promise nobody awaited'));
await step(20);
setTimeout(() => {
  throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}, 0);
await step(20);
process.stdout.write('STILL RUNNING\n');
setTimeout(() => {
  // A bug half-way through a callback: the process state is unknown.
  (undefined as unknown as { call(): void }).call();
}, 0);
await step(5000);
process.stdout.write('NOT REACHED\n');
