import type { Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Route } from '../http/route.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { within } from '../lifecycle/within.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import { AlertLedger } from './alert-ledger.js';
import { ALERT_QUEUE, type AlertJob, createAlertQueue } from './alert-queue.js';
import { createAlertWorker } from './alert-worker.js';
import { alertmanagerRoute } from './alertmanager-route.js';

export interface AlertSurfaceOptions {
  /** ALERT_WEBHOOK_TOKEN; unset, the webhook is open (and the bot says so at start). */
  token: string | undefined;
  /** Firebreak's Redis (the alert ledger's home, the queue's producer) and a connection for the worker. */
  redis: Redis | Cluster;
  workerConnection: Redis | Cluster;
  prefix: string;
  /** The BullMQ prefix of a queue (hash-tagged for Redis Cluster; see build-core). @defaultValue `prefix` */
  queuePrefix?: (queue: string) => string;
  /** @defaultValue 60000: at most one "still firing" entry per group per minute */
  repeatWindowMs?: number;
}

/** The Alertmanager webhook as one surface of the bot: what the composition root mounts, runs and closes. */
export interface AlertSurface {
  /** `POST /alerts/alertmanager`. */
  routes: Route[];
  /** The alert worker: claims, openings, entries. */
  workers: Worker[];
  queue: Queue<AlertJob>;
  /** Closes the queue; the worker is closed with the others, first. */
  close(): Promise<void>;
}

/**
 * Wires the alert surface around the incident core: the ledger, the queue, the webhook route and
 * the worker. It talks to the core's use cases only (`openIncident`, `attachAlert`,
 * `recordAlertEvent`, `findOpenIncident`), never to Slack: what an alert means there is rendered by
 * the Slack surface from the incident's facts and its timeline.
 */
export function createAlertSurface(
  core: IncidentDeps,
  metrics: FirebreakMetrics,
  options: AlertSurfaceOptions,
): AlertSurface {
  const log = core.log.child({ surface: 'alertmanager' });
  if (options.token === undefined) {
    log.warn(
      'ALERT_WEBHOOK_TOKEN is not set: POST /alerts/alertmanager is open to anyone who can reach this port; ' +
        "set it, and the same value in the receiver's http_config.authorization",
    );
  }
  const ledger = new AlertLedger(options.redis, `${options.prefix}:`);
  const queuePrefix = options.queuePrefix?.(ALERT_QUEUE) ?? options.prefix;
  const queue = createAlertQueue(options.redis, queuePrefix);
  queue.on('error', (err) => log.debug({ err: { message: err.message } }, 'alert queue connection error'));
  metrics.queueJobs.watch(queue);
  const worker = createAlertWorker(
    {
      core,
      ledger,
      metrics,
      log,
      ...(options.repeatWindowMs !== undefined ? { repeatWindowMs: options.repeatWindowMs } : {}),
    },
    { connection: options.workerConnection, prefix: queuePrefix },
  );
  return {
    routes: [alertmanagerRoute({ token: options.token, ledger, queue, log, metrics })],
    workers: [worker],
    queue,
    async close() {
      await within(queue.close(), 2000);
    },
  };
}
