import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/read-config.js';
import type { ReadinessCheck } from '../http/health-routes.js';
import {
  type ActionJob,
  type ActionQueues,
  createActionQueue,
  createActionQueues,
} from '../incidents/action-queue.js';
import { createApprovalPolicy, DEFAULT_POLICY } from '../incidents/approval-policy.js';
import { type ApprovalSigner, createApprovalSigner } from '../incidents/approval-signature.js';
import { createDeadlineQueue, type DeadlineJob } from '../incidents/deadlines/deadline-queue.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { createIncidentQueue, type OpenJob } from '../incidents/incident-queue.js';
import { RedisIncidentStore } from '../incidents/incident-store.js';
import { createOpenLimiter } from '../incidents/open-limiter.js';
import type { ActionRunnerDeps } from '../incidents/run-approved-action.js';
import { TargetLocks } from '../incidents/target-locks.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { createMetrics, type FirebreakMetrics } from '../metrics/metrics.js';
import type { PostmortemDeps } from '../postmortem/postmortem-deps.js';
import { createPostmortemQueue, type PostmortemJob } from '../postmortem/postmortem-queue.js';
import { RedisPostmortemStore } from '../postmortem/postmortem-store.js';
import { observeResolution } from '../postmortem/postmortem-worker.js';
import { actionPlacement } from '../runbooks/host-placement.js';
import { loadRunbooks, type RunbookCatalog } from '../runbooks/load-runbooks.js';
import { SecretMask } from '../secrets/secret-mask.js';
import { createDeliveryQueue, type DeliveryJob } from '../timeline/delivery-queue.js';
import { observeTimeline } from '../timeline/observe-timeline.js';
import { createTimelineRecorder } from '../timeline/timeline-recorder.js';
import { type CheckJob, createCheckQueue } from '../verification/check-queue.js';
import { checklistGate } from '../verification/checklist-gate.js';
import { RedisChecklistStore } from '../verification/checklist-store.js';
import { observeMilestones } from '../verification/observe-milestones.js';
import type { VerificationDeps } from '../verification/verification-deps.js';
import { fleetStatus } from '../workers/fleet-status.js';
import { createHostProbeClient } from '../workers/host-probe-client.js';
import { WorkerRegistry } from '../workers/worker-registry.js';
import { connectRedis } from './connect-redis.js';
import { declareSecrets } from './declare-secrets.js';
import { maskTimeline } from './mask-timeline.js';
import { clusterSafePrefix } from './queue-prefix.js';

/** What the core needs of the configuration; the bot and `npm run worker` pass their Config. */
export type CoreSettings = Pick<
  Config,
  | 'redisUrl'
  | 'redisPrefix'
  | 'approvers'
  | 'runbookDir'
  | 'vars'
  | 'secrets'
  | 'allowedPrograms'
  | 'procRoot'
> &
  Partial<
    Pick<
      Config,
      'approverGroups' | 'destructiveApprovals' | 'requesterRule' | 'secretVariables' | 'openLimits'
    >
  > &
  /** `readConfig` always sets it; without it (a test's core alone) a key of this process only. */
  Partial<Pick<Config, 'approvalKey'>>;

export interface CoreOptions {
  /** Namespaces Redis keys and BullMQ queues; tests give each run its own. @defaultValue REDIS_PREFIX */
  prefix?: string;
  /** Runbooks already loaded (tests); otherwise read from `runbookDir`. */
  runbooks?: RunbookCatalog;
  /** @defaultValue the wall clock */
  now?: () => Date;
  /**
   * Words a surface reserves, which no runbook kind may take (`status` → `/incident status`): the
   * composition root passes them from the surface, since the loader is core and knows no surface.
   */
  reservedKinds?: ReadonlyMap<string, string>;
  /** The mask the process's logger applies; the runbooks' declared secrets are added to it. */
  secretMask?: SecretMask;
  /** How the first tier of checks is re-run until recovery; tests shorten it. */
  recheck?: VerificationDeps['recheck'];
}

/** The incident core, wired once for every process: the bot, `npm run worker`, the tests, the demo. */
export interface Core {
  prefix: string;
  /** The use cases' dependencies. */
  deps: IncidentDeps;
  /** The executor worker's dependencies (with the secrets it redacts). */
  runner: ActionRunnerDeps;
  metrics: FirebreakMetrics;
  /** The recovery checklist's dependencies (its store, its queue, the core's timeline). */
  verification: VerificationDeps;
  /** The postmortem's dependencies (its store and queue, the checklist's record). */
  postmortem: PostmortemDeps;
  /** Firebreak's Redis for the store and producers: a command fails after a short retry, never hangs. */
  redis: Redis;
  /** A second connection for BullMQ workers, which must never give up on a command (bullmq's rule). */
  workerRedis: Redis;
  /**
   * The BullMQ prefix of a queue: `prefix` (hash-tagged on a Redis Cluster, see queue-prefix.ts).
   * Every Queue, Worker and QueueEvents of that queue must use it.
   */
  queuePrefix(queue: string): string;
  queues: {
    actions: Queue<ActionJob>;
    incidents: Queue<OpenJob>;
    deliveries: Queue<DeliveryJob>;
    deadlines: Queue<DeadlineJob>;
    checks: Queue<CheckJob>;
    postmortems: Queue<PostmortemJob>;
  };
  /** Every secret value known to this process (environment and runbook declarations), and their mask. */
  secretMask: SecretMask;
  /** The variables a surface may show on a card or a header: the secret ones left out. */
  displayVars: Readonly<Record<string, string | undefined>>;
  /** Every role's action queue (`actionQueues.for(role)`), opened on first use. */
  actionQueues: ActionQueues;
  /** Signs approvals (the bot) and checks them (workers) with APPROVAL_SIGNING_KEY. */
  signer: ApprovalSigner;
  /** Who is on the hosts: the workers' heartbeats in Redis. */
  registry: WorkerRegistry;
  /** `/readyz`'s Redis line: ready when Redis answers a PING within a second. */
  redisCheck: ReadinessCheck;
  /** Closes the queues and both connections; every step bounded. Workers are closed by their owner first. */
  close(): Promise<void>;
}

/** Builds the core: runbooks → Redis → store → queues → timeline → policy → metrics. */
export async function buildCore(
  settings: CoreSettings,
  log: Logger,
  options: CoreOptions = {},
): Promise<Core> {
  const prefix = clusterSafePrefix(settings.redisUrl, options.prefix ?? settings.redisPrefix);
  const runbooks =
    options.runbooks ??
    (await loadRunbooks(
      settings.runbookDir,
      options.reservedKinds ? { reservedKinds: options.reservedKinds } : {},
    ));
  const { secrets, displayVars } = declareSecrets(runbooks, settings);
  const secretMask = options.secretMask ?? new SecretMask();
  secretMask.add(secrets);
  const now = options.now ?? (() => new Date());
  // The store fails a command after a short retry rather than hanging a Slack handler past its 3 s.
  // A Cluster offers the same commands (ioredis' Commander): typed as one server for the modules that
  // name `Redis`, whatever REDIS_URL says.
  const redis = connectRedis(settings.redisUrl, { role: 'commands' }) as Redis;
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis connection error'));
  const workerRedis = connectRedis(settings.redisUrl, { role: 'workers' }) as Redis;
  workerRedis.on('error', (err) =>
    log.warn({ err: { message: err.message } }, 'redis (workers) connection error'),
  );
  const store = new RedisIncidentStore(redis, `${prefix}:`);
  const queues = {
    actions: createActionQueue(redis, prefix),
    incidents: createIncidentQueue(redis, prefix),
    deliveries: createDeliveryQueue(redis, prefix),
    deadlines: createDeadlineQueue(redis, prefix),
    checks: createCheckQueue(redis, prefix),
    postmortems: createPostmortemQueue(redis, prefix),
  };
  // Without a listener BullMQ prints each connection error to the console, outside pino; the shared
  // connection's own listener above already logs it.
  for (const queue of Object.values(queues)) {
    queue.on('error', (err) => log.debug({ err: { message: err.message } }, 'queue connection error'));
  }
  // Observed: the checklist and the metrics react to entries wherever they are recorded.
  const timeline = observeTimeline(
    maskTimeline(createTimelineRecorder(store, queues.deliveries, log, now), secretMask),
    log,
  );
  const metrics = createMetrics({ queues: Object.values(queues) });
  const actionQueues = createActionQueues(redis, prefix, queues.actions, (err) =>
    log.debug({ err: { message: err.message } }, 'queue connection error'),
  );
  // Every role queue the runbooks' actions use, opened now: /metrics shows its depth from the start,
  // so jobs piling up for a role with no live worker are visible before anyone asks.
  for (const runbook of runbooks.values()) {
    for (const action of runbook.actions) {
      const placement = actionPlacement(action);
      if (placement) metrics.queueJobs.watch(actionQueues.for(placement.role));
    }
  }
  const signer = createApprovalSigner(settings.approvalKey ?? randomBytes(32).toString('hex'));
  const registry = new WorkerRegistry(redis, prefix);
  const hostProbes = createHostProbeClient({ redis, prefix, registry, signer, log });
  const targets = new TargetLocks(redis, prefix);
  const policy = createApprovalPolicy({
    approvers: { users: settings.approvers, groups: settings.approverGroups ?? [] },
    destructiveApprovals: settings.destructiveApprovals ?? DEFAULT_POLICY.destructiveApprovals,
    requesterRule: settings.requesterRule ?? DEFAULT_POLICY.requesterRule,
  });
  // What the checklist and the postmortem read of the core, given once to both.
  const records = { store, runbooks, timeline, now, log, vars: settings.vars };
  const verification: VerificationDeps = {
    ...records,
    allowedPrograms: settings.allowedPrograms,
    procRoot: settings.procRoot,
    checklist: new RedisChecklistStore(redis, `${prefix}:`),
    checkQueue: queues.checks,
    metrics,
    ...(options.recheck ? { recheck: options.recheck } : {}),
  };
  timeline.observe(observeMilestones(verification));
  const postmortem: PostmortemDeps = {
    ...records,
    checklist: verification.checklist,
    postmortems: new RedisPostmortemStore(redis, `${prefix}:`),
    postmortemQueue: queues.postmortems,
  };
  timeline.observe(observeResolution(postmortem));
  const deps: IncidentDeps = {
    store,
    runbooks,
    timeline,
    actionQueue: queues.actions,
    incidentQueue: queues.incidents,
    deadlineQueue: queues.deadlines,
    policy,
    targets,
    log,
    now,
    vars: settings.vars,
    allowedPrograms: settings.allowedPrograms,
    secrets: settings.secrets,
    procRoot: settings.procRoot,
    metrics,
    resolveGate: checklistGate(verification),
    ...(settings.openLimits
      ? { openLimiter: createOpenLimiter(redis, `${prefix}:`, settings.openLimits) }
      : {}),
    actionQueues,
    signer,
    hostProbes: hostProbes.run,
    workers: {
      status: async () => fleetStatus((await registry.list()).workers, { runbooks, keyId: signer.keyId }),
    },
  };
  const runner: ActionRunnerDeps = {
    store,
    runbooks,
    timeline,
    log,
    now,
    vars: settings.vars,
    secrets,
    allowedPrograms: settings.allowedPrograms,
    targets,
    procRoot: settings.procRoot,
    metrics,
  };
  return {
    prefix,
    deps,
    runner,
    metrics,
    verification,
    postmortem,
    redis,
    workerRedis,
    queuePrefix: () => prefix,
    queues,
    secretMask,
    displayVars,
    actionQueues,
    signer,
    registry,
    redisCheck: {
      name: 'redis',
      async check() {
        const ok =
          (await within(
            redis.ping().then(
              () => true,
              () => false,
            ),
            1000,
          )) ?? false;
        return { ok, detail: ok ? 'ok' : 'unreachable' };
      },
    },
    async close() {
      await hostProbes.close();
      await within(Promise.all([...Object.values(queues).map((q) => q.close()), actionQueues.close()]), 2000);
      workerRedis.disconnect();
      await within(
        redis.quit().catch(() => undefined),
        1000,
      );
      redis.disconnect();
    },
  };
}
