import type { Config } from '../config/read-config.js';
import type { WorkerInfo } from '../incidents/worker-fleet.js';
import { type HostWorker, startHostWorker } from '../workers/start-host-worker.js';
import type { Core } from './build-core.js';

/**
 * The process's hands on its host, from its configuration: its name, roles and heartbeat, its
 * procfs root. The bot and `npm run worker` differ only in `process` and whether they run the
 * actions without a role. A failure (another live worker of the same name and role) closes the core.
 */
export async function startHostHands(
  config: Config,
  core: Core,
  who: { process: WorkerInfo['process']; unplaced: boolean },
): Promise<HostWorker> {
  return startHostWorker({
    ...core,
    ...who,
    name: config.workerName,
    roles: config.workerRoles,
    heartbeatMs: config.heartbeatMs,
    probeContext: { procRoot: config.procRoot, probeDurations: core.metrics.probeDuration },
  }).catch(async (err) => {
    await core.close();
    throw err;
  });
}
