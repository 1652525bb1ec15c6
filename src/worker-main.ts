import { startWorker } from './app/start-worker.js';
import { loadDotEnv } from './config/load-dot-env.js';
import { readConfig } from './config/read-config.js';
import { workerArgs } from './config/worker-args.js';
import { isFirebreakError } from './errors.js';
import { stopOnSignals } from './lifecycle/stop-on-signals.js';
import { createLogger } from './logging/logger.js';

// `npm run worker`: executors alone, on the host that may touch the targets. No Slack credentials:
// results go to the incident store and timeline; the bot delivers them to Slack.
try {
  loadDotEnv();
  const config = readConfig({ ...process.env, ...workerArgs(process.argv.slice(2)) }, 'worker');
  const log = createLogger(config.logLevel).child({ role: 'worker' });
  const signals = stopOnSignals(log, { deadlineMs: config.shutdownGraceMs + 10_000 });
  const worker = await startWorker(config, log);
  signals.running(() => worker.stop());
} catch (err) {
  if (isFirebreakError(err)) console.error(`firebreak worker: ${err.message}`);
  else console.error('firebreak worker: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
