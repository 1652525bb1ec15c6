import type { AddressInfo, Server } from 'node:net';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from './config/read-config.js';
import { createActionQueue } from './executors/action-queue.js';
import { createActionWorker } from './executors/action-worker.js';
import { createApprovalPolicy } from './incidents/approval-policy.js';
import { requeueApproved } from './incidents/decide-action.js';
import type { IncidentDeps } from './incidents/incident-deps.js';
import { createIncidentQueue } from './incidents/incident-queue.js';
import { RedisIncidentStore } from './incidents/incident-store.js';
import { createIncidentWorker } from './incidents/incident-worker.js';
import { within } from './lifecycle/within.js';
import type { Logger } from './logging/logger.js';
import { createMetrics } from './metrics/metrics.js';
import { loadRunbooks } from './runbooks/load-runbooks.js';
import { ChannelPacer } from './slack/channel-pacer.js';
import { createSlackApp } from './slack/create-slack-app.js';
import { createDeliveryWorker } from './slack/deliver-timeline.js';
import { createSlackClient, type SlackIdentity, verifySlackIdentity } from './slack/slack-identity.js';
import { createSlackIncidentChannel } from './slack/slack-incident-channel.js';
import { createDeliveryQueue } from './timeline/delivery-queue.js';
import { createTimelineRecorder } from './timeline/timeline-recorder.js';

export interface FirebreakOptions {
  /** Namespaces Firebreak's Redis keys and BullMQ queues; tests give each run its own. @defaultValue REDIS_PREFIX */
  prefix?: string;
  /** Per-channel message pacing; tests shorten it. @defaultValue 1 message/s with a burst of 4 */
  pacer?: ChannelPacer;
  /**
   * How long `stop()` lets running jobs finish before closing workers forcibly.
   * @defaultValue 25000 — inside Kubernetes' default 30 s termination grace period
   */
  shutdownGraceMs?: number;
}

export interface RunningFirebreak {
  /** http://127.0.0.1:<port> in HTTP mode. */
  url: string;
  deps: IncidentDeps;
  stop(): Promise<void>;
}

/** Redis connections for BullMQ workers must never give up on a command (bullmq's requirement). */
function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * Wires the bot: runbooks → Redis → store and queues → Slack app → workers → HTTP. Shared by
 * `src/main.ts`, the end-to-end tests and the demo, so all three run the same bot.
 */
export async function startFirebreak(
  config: Config,
  log: Logger,
  options: FirebreakOptions = {},
): Promise<RunningFirebreak> {
  const prefix = options.prefix ?? config.redisPrefix;
  const graceMs = options.shutdownGraceMs ?? 25_000;
  const runbooks = await loadRunbooks(config.runbookDir);
  log.info({ kinds: [...runbooks.keys()] }, 'runbooks loaded');

  // The store fails a command after a short retry rather than hanging a Slack handler past its 3 s.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis connection error'));
  const store = new RedisIncidentStore(redis, `${prefix}:`);
  const actionQueue = createActionQueue(redis, prefix);
  const incidentQueue = createIncidentQueue(redis, prefix);
  const deliveryQueue = createDeliveryQueue(redis, prefix);
  // Without a listener BullMQ prints each connection error to the console, outside pino; the shared
  // connection's own listener above already logs it.
  for (const queue of [actionQueue, incidentQueue, deliveryQueue]) {
    queue.on('error', (err) => log.debug({ err: { message: err.message } }, 'queue connection error'));
  }
  const timeline = createTimelineRecorder(store, deliveryQueue, log);
  const metrics = createMetrics();
  const now = () => new Date();
  const deps: IncidentDeps = {
    store,
    runbooks,
    timeline,
    actionQueue,
    incidentQueue,
    policy: createApprovalPolicy(config.approvers),
    log,
    now,
    vars: config.vars,
    allowedPrograms: config.allowedPrograms,
    procRoot: config.procRoot,
  };

  const client = createSlackClient(config, log);
  const identity: SlackIdentity = { botToken: config.slack.botToken, status: 'unverified' };
  const verification = verifySlackIdentity(client, identity, log);
  const app = createSlackApp(
    config,
    deps,
    {
      redisReady: () =>
        Promise.race([
          redis.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
        ]),
      runbookCount: () => runbooks.size,
      slackStatus: () => identity.status,
      metrics: metrics.registry,
    },
    log,
    metrics,
    identity,
  );
  const pacer = options.pacer ?? new ChannelPacer();
  const workerRedis = workerConnection(config.redisUrl);
  workerRedis.on('error', (err) =>
    log.warn({ err: { message: err.message } }, 'redis (workers) connection error'),
  );
  const channel = createSlackIncidentChannel({
    client,
    pacer,
    runbooks,
    announceChannel: config.announceChannel,
    log,
    vars: config.vars,
  });
  const workers: Worker[] = [
    createIncidentWorker(
      deps,
      { channel, responders: config.responders, announce: true },
      { connection: workerRedis, prefix },
    ),
    createDeliveryWorker(
      { client, store, runbooks, pacer, log, vars: config.vars },
      { connection: workerRedis, prefix },
    ),
  ];
  if (config.executors) {
    workers.push(
      createActionWorker(
        {
          store,
          runbooks,
          timeline,
          log,
          now,
          vars: config.vars,
          secrets: config.secrets,
          allowedPrograms: config.allowedPrograms,
          metrics,
        },
        { connection: workerRedis, prefix },
      ),
    );
  }

  const started = (await app.start(config.port)) as unknown;
  const address =
    started && typeof (started as Server).address === 'function' ? (started as Server).address() : null;
  const port = address && typeof address === 'object' ? (address as AddressInfo).port : config.port;
  const url = `http://127.0.0.1:${port}`;
  log.info(
    { url, mode: config.slack.appToken ? 'socket' : 'http', executors: config.executors },
    'firebreak is up',
  );

  const requeued = await requeueApproved(deps).catch((err) => {
    log.error({ err }, 'could not re-queue approved actions');
    return 0;
  });
  if (requeued > 0) log.info({ requeued }, 're-queued approved actions that had not run');

  return {
    url,
    deps,
    async stop() {
      // Reverse order: stop taking requests, let workers finish their jobs, then drop Redis. Every
      // step is bounded: a stop that hangs on a vanished Redis or a long action blocks a deploy.
      verification.stop();
      await within(
        app.stop().catch((err) => log.warn({ err }, 'stopping the Slack app')),
        5000,
      );
      const closed = await within(Promise.all(workers.map((w) => w.close())), graceMs);
      if (!closed) {
        // A job still running is abandoned: its lock expires and it is reported as stalled, never re-run.
        log.warn({ graceMs }, 'workers did not finish within the grace period; closing them forcibly');
        await within(Promise.all(workers.map((w) => w.close(true))), 2000);
      }
      await within(Promise.all([actionQueue.close(), incidentQueue.close(), deliveryQueue.close()]), 2000);
      workerRedis.disconnect();
      await within(
        redis.quit().catch(() => undefined),
        1000,
      );
      redis.disconnect();
    },
  };
}
