import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ProbeContext } from '../diagnostics/run-probe.js';
import { FirebreakError } from '../errors.js';
import { executeStep } from '../executors/execute-step.js';
import { actionQueueName } from '../incidents/action-queue.js';
import { createActionWorker } from '../incidents/action-worker.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import type { ActionRunnerDeps } from '../incidents/run-approved-action.js';
import type { WorkerInfo } from '../incidents/worker-fleet.js';
import { actionPlacement } from '../runbooks/host-placement.js';
import { createActionGuard, type GuardDeps } from './guard-action-job.js';
import { createHostTurnWorker } from './host-turn-worker.js';
import { runOnEachHost } from './run-on-each-host.js';
import { type HostProbeServer, serveHostProbes } from './serve-host-probes.js';
import { describeWorker, type Heartbeat, startHeartbeat } from './worker-heartbeat.js';
import type { WorkerRegistry } from './worker-registry.js';

export interface HostWorkerOptions {
  /** The core's executor dependencies (store, runbooks, timeline, vars, secrets, allow-list…). */
  runner: ActionRunnerDeps;
  signer: ApprovalSigner;
  registry: WorkerRegistry;
  /** Firebreak's Redis (publishing, the registry) and the BullMQ workers' connection. */
  redis: Redis;
  workerRedis: Redis;
  prefix: string;
  name: string;
  roles: readonly string[];
  /** Also run the actions without `on:` (the bot with EXECUTORS=on, a worker without --role). */
  unplaced: boolean;
  process: WorkerInfo['process'];
  heartbeatMs: number;
  /** How this host's probes read it: `procRoot` (HOST_PROC_ROOT) above all. */
  probeContext?: Pick<ProbeContext, 'procRoot' | 'hostSampleMs' | 'probeDurations'>;
}

export interface HostWorker {
  info: WorkerInfo;
  /** The BullMQ workers, for the owner to close with its grace period before {@link HostWorker.close}. */
  workers: Worker[];
  /** Whether the registration is fresh: this worker's `/readyz`. */
  healthy(): boolean;
  /** Stops answering probes and leaves the registry. */
  close(): Promise<void>;
}

/**
 * Firebreak's hands on one host: it registers in the worker registry with a heartbeat, answers the
 * probes of its roles, and runs their actions — one queue per role, plus this host's own queue for
 * its turns of `each` actions — and, when `unplaced`, the actions without a role. Every job passes
 * the guard: the bot's signature and this host's runbook, nothing else.
 */
export async function startHostWorker(options: HostWorkerOptions): Promise<HostWorker> {
  const { runner, signer, registry, roles } = options;
  const info = describeWorker({
    ...options,
    allowedPrograms: runner.allowedPrograms,
    runbooks: runner.runbooks,
  });
  // A name addresses a host's own queue of a role (the turns of `each` actions): unique per role.
  // The role-less executor is one shared queue, so bot replicas on one machine may share a name.
  const twin = (await registry.list()).workers.find(
    (w) => w.live && w.name === info.name && w.roles.some((r) => roles.includes(r)),
  );
  if (twin) {
    const shared = twin.roles.filter((r) => roles.includes(r)).join(', ');
    throw new FirebreakError(
      'config_invalid',
      `another worker named ${twin.name} is alive and serves ${shared} (pid ${twin.pid} on ${twin.hostname}): give this one its own WORKER_NAME (or --name)`,
    );
  }
  const heartbeat: Heartbeat = await startHeartbeat(registry, info, runner.log);
  const guardDeps: GuardDeps = { ...runner, signer, self: { name: info.name, instance: info.instance } };
  const connection = { connection: options.workerRedis, prefix: options.prefix };
  const workers: Worker[] = [];
  if (options.unplaced) {
    workers.push(
      createActionWorker(guardDeps, { ...connection, guard: createActionGuard(guardDeps, undefined) }),
    );
  }
  for (const role of roles) {
    const deps: GuardDeps = {
      ...guardDeps,
      execute: (action, job, ctx) =>
        actionPlacement(action)?.each
          ? runOnEachHost(
              { ...guardDeps, registry, connection: options.redis, prefix: options.prefix },
              role,
              action,
              job,
              ctx,
            )
          : executeStep(action.run, ctx),
    };
    workers.push(
      createActionWorker(deps, {
        ...connection,
        queueName: actionQueueName(role),
        guard: createActionGuard(deps, role),
      }),
      createHostTurnWorker(guardDeps, role, connection),
    );
  }
  let probes: HostProbeServer | undefined;
  try {
    probes = await serveHostProbes({
      redis: options.redis,
      prefix: options.prefix,
      self: info,
      runbooks: runner.runbooks,
      signer,
      context: { vars: runner.vars, allowedPrograms: runner.allowedPrograms, ...options.probeContext },
      log: runner.log,
    });
  } catch (err) {
    await Promise.all(workers.map((w) => w.close(true)));
    await heartbeat.stop();
    throw err;
  }
  runner.log.info(
    { name: info.name, instance: info.instance, roles: info.roles, unplaced: info.unplaced },
    'registered in the worker registry',
  );
  return {
    info,
    workers,
    healthy: heartbeat.healthy,
    async close() {
      await probes?.close();
      await heartbeat.stop();
    },
  };
}
