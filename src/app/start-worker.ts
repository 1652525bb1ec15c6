import type { Registry } from 'prom-client';
import type { Config } from '../config/read-config.js';
import { healthRoutes } from '../http/health-routes.js';
import { createHttpServer } from '../http/http-server.js';
import type { WorkerInfo } from '../incidents/worker-fleet.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { observeJobDurations } from '../metrics/observe-job-durations.js';
import type { SecretMask } from '../secrets/secret-mask.js';
import { buildCore } from './build-core.js';
import { closeWorkers } from './close-workers.js';
import { watchRedisEpoch } from './redis-epoch.js';
import { startHostHands } from './start-host-hands.js';
import { registrationReadiness } from './workers-readiness.js';

export interface RunningWorker {
  /** http://127.0.0.1:<WORKER_PORT>: `/healthz`, `/readyz`, `/metrics`. */
  url: string;
  /** The registry `/metrics` serves, for counters kept outside the core (the process guard's). */
  registry: Registry;
  /** How it registered: name, instance, roles. */
  info: WorkerInfo;
  stop(): Promise<void>;
}

/**
 * `npm run worker`: the executors alone, on a host that may touch the targets, with the same core as
 * the bot (so `firebreak_actions_finished_total` moves here) and its own health and metrics port.
 * No Slack credentials: results go to the store and the timeline; the bot delivers them. With roles
 * (`--role generation`) it serves those roles' probes and actions; without, the actions without `on:`.
 */
export async function startWorker(
  config: Config,
  log: Logger,
  options: { prefix?: string; shutdownGraceMs?: number; secretMask?: SecretMask } = {},
): Promise<RunningWorker> {
  const core = await buildCore(config, log, {
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.secretMask ? { secretMask: options.secretMask } : {}),
  });
  const hands = await startHostHands(config, core, {
    process: 'worker',
    unplaced: config.workerRoles.length === 0,
  });
  // No Slack here: a lost store is logged and shown in /readyz; the bot tells the announce channel.
  const epoch = await watchRedisEpoch(core.redis, core.prefix, log);
  const http = createHttpServer(
    healthRoutes([core.redisCheck, epoch.check, registrationReadiness(hands)], core.metrics.registry),
    log,
  );
  for (const worker of hands.workers) observeJobDurations(worker, core.metrics.jobDuration);
  const url = await http.listen(config.workerPort);
  log.info(
    {
      url,
      name: hands.info.name,
      roles: hands.info.roles,
      kinds: [...core.deps.runbooks.keys()],
      allowedPrograms: [...config.allowedPrograms],
    },
    'executor worker is up',
  );
  return {
    url,
    registry: core.metrics.registry,
    info: hands.info,
    async stop() {
      await within(http.close(), 3000);
      epoch.stop();
      // Bounded like the bot's stop(): a running action gets its grace, then its job is left to stall.
      await closeWorkers(hands.workers, options.shutdownGraceMs ?? config.shutdownGraceMs, log);
      await hands.close();
      await core.close();
    },
  };
}
