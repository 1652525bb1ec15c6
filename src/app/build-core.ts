import type { Queue } from 'bullmq';
import type { Config } from '../config/read-config.js';
import type { ReadinessCheck } from '../http/health-routes.js';
import { ACTION_QUEUE, type ActionJob, createActionQueue } from '../incidents/action-queue.js';
import { createApprovalPolicy, DEFAULT_POLICY } from '../incidents/approval-policy.js';
import {
  createDeadlineQueue,
  DEADLINE_QUEUE,
  type DeadlineJob,
} from '../incidents/deadlines/deadline-queue.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { createIncidentQueue, INCIDENT_QUEUE, type OpenJob } from '../incidents/incident-queue.js';
import { RedisIncidentStore } from '../incidents/incident-store.js';
import type { ActionRunnerDeps } from '../incidents/run-approved-action.js';
import { TargetLocks } from '../incidents/target-locks.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { createMetrics, type FirebreakMetrics } from '../metrics/metrics.js';
import { loadRunbooks, type RunbookCatalog } from '../runbooks/load-runbooks.js';
import { createDeliveryQueue, DELIVERY_QUEUE, type DeliveryJob } from '../timeline/delivery-queue.js';
import { createTimelineRecorder } from '../timeline/timeline-recorder.js';
import { connectRedis, type RedisConnection } from './connect-redis.js';
import { bullPrefix } from './queue-prefix.js';

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
  Partial<Pick<Config, 'approverGroups' | 'destructiveApprovals' | 'requesterRule'>>;

export interface CoreOptions {
  /** Namespaces Redis keys and BullMQ queues; tests give each run its own. @defaultValue REDIS_PREFIX */
  prefix?: string;
  /** Runbooks already loaded (tests); otherwise read from `runbookDir`. */
  runbooks?: RunbookCatalog;
  /** @defaultValue the wall clock */
  now?: () => Date;
}

/** The incident core, wired once for every process: the bot, `npm run worker`, the tests, the demo. */
export interface Core {
  prefix: string;
  /** The use cases' dependencies. */
  deps: IncidentDeps;
  /** The executor worker's dependencies (with the secrets it redacts). */
  runner: ActionRunnerDeps;
  metrics: FirebreakMetrics;
  /** Firebreak's Redis for the store and producers: a command fails after a short retry, never hangs. */
  redis: RedisConnection;
  /** A second connection for BullMQ workers, which must never give up on a command (bullmq's rule). */
  workerRedis: RedisConnection;
  /**
   * The BullMQ prefix of a queue: `{<prefix>:<queue>}`, a hash tag, so that each queue's keys share
   * one Redis Cluster slot and different queues spread over the nodes (BullMQ's Cluster guidance).
   * Every Queue, Worker and QueueEvents of that queue must use it.
   */
  queuePrefix(queue: string): string;
  queues: {
    actions: Queue<ActionJob>;
    incidents: Queue<OpenJob>;
    deliveries: Queue<DeliveryJob>;
    deadlines: Queue<DeadlineJob>;
  };
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
  const prefix = options.prefix ?? settings.redisPrefix;
  const runbooks = options.runbooks ?? (await loadRunbooks(settings.runbookDir));
  const now = options.now ?? (() => new Date());
  // The store fails a command after a short retry rather than hanging a Slack handler past its 3 s.
  const redis = connectRedis(settings.redisUrl, { role: 'commands' });
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis connection error'));
  const workerRedis = connectRedis(settings.redisUrl, { role: 'workers' });
  workerRedis.on('error', (err) =>
    log.warn({ err: { message: err.message } }, 'redis (workers) connection error'),
  );
  const store = new RedisIncidentStore(redis, `${prefix}:`);
  const queues = {
    actions: createActionQueue(redis, bullPrefix(prefix, ACTION_QUEUE)),
    incidents: createIncidentQueue(redis, bullPrefix(prefix, INCIDENT_QUEUE)),
    deliveries: createDeliveryQueue(redis, bullPrefix(prefix, DELIVERY_QUEUE)),
    deadlines: createDeadlineQueue(redis, bullPrefix(prefix, DEADLINE_QUEUE)),
  };
  // Without a listener BullMQ prints each connection error to the console, outside pino; the shared
  // connection's own listener above already logs it.
  for (const queue of Object.values(queues)) {
    queue.on('error', (err) => log.debug({ err: { message: err.message } }, 'queue connection error'));
  }
  const timeline = createTimelineRecorder(store, queues.deliveries, log, now);
  const metrics = createMetrics({ queues: Object.values(queues) });
  const targets = new TargetLocks(redis, prefix);
  const policy = createApprovalPolicy({
    approvers: { users: settings.approvers, groups: settings.approverGroups ?? [] },
    destructiveApprovals: settings.destructiveApprovals ?? DEFAULT_POLICY.destructiveApprovals,
    requesterRule: settings.requesterRule ?? DEFAULT_POLICY.requesterRule,
  });
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
  };
  const runner: ActionRunnerDeps = {
    store,
    runbooks,
    timeline,
    log,
    now,
    vars: settings.vars,
    secrets: settings.secrets,
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
    redis,
    workerRedis,
    queuePrefix: (queue) => bullPrefix(prefix, queue),
    queues,
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
      await within(Promise.all(Object.values(queues).map((q) => q.close())), 2000);
      workerRedis.disconnect();
      await within(
        redis.quit().catch(() => undefined),
        1000,
      );
      redis.disconnect();
    },
  };
}
