import type { Worker } from 'bullmq';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';

/**
 * Lets running jobs finish for `graceMs`, then closes the workers forcibly. A job still running is
 * abandoned: its lock expires and it is reported as stalled, never re-run. Bounded, so a stop never
 * hangs on a vanished Redis or a long action.
 */
export async function closeWorkers(workers: readonly Worker[], graceMs: number, log: Logger): Promise<void> {
  const closed = await within(Promise.all(workers.map((w) => w.close())), graceMs);
  if (closed) return;
  log.warn({ graceMs }, 'workers did not finish within the grace period; closing them forcibly');
  await within(Promise.all(workers.map((w) => w.close(true))), 2000);
}
