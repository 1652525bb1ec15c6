import type { Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import { createAlertSurface } from '../alerts/start-alerts.js';
import type { Config } from '../config/read-config.js';
import type { ReadinessCheck } from '../http/health-routes.js';
import { DEADLINE_QUEUE } from '../incidents/deadlines/deadline-queue.js';
import { createDeadlineWorker } from '../incidents/deadlines/deadline-worker.js';
import { scheduleOpenDeadlines } from '../incidents/deadlines/schedule-deadlines.js';
import { requeueApproved } from '../incidents/decide-action.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { INCIDENT_QUEUE } from '../incidents/incident-queue.js';
import { createIncidentWorker } from '../incidents/incident-worker.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { observeJobDurations } from '../metrics/observe-job-durations.js';
import { createPostmortemWorker } from '../postmortem/postmortem-worker.js';
import type { SecretMask } from '../secrets/secret-mask.js';
import type { ChannelPacer } from '../slack/channel-pacer.js';
import { reservedKinds } from '../slack/commands/subcommands.js';
import type { SlackLedger } from '../slack/slack-ledger.js';
import { createSlackSurface } from '../slack/start-slack.js';
import { DELIVERY_QUEUE } from '../timeline/delivery-queue.js';
import { createCheckWorker } from '../verification/check-worker.js';
import { resumeChecklists } from '../verification/start-checklist.js';
import { startWatching } from '../workers/watch-workers.js';
import { buildCore } from './build-core.js';
import { closeWorkers } from './close-workers.js';
import { watchRedisEpoch } from './redis-epoch.js';
import { startBotHttp } from './start-bot-http.js';
import { startHostHands } from './start-host-hands.js';
import { startRetentionSweep } from './start-retention.js';
import { fleetReadiness } from './workers-readiness.js';

export interface BotOptions {
  /** Namespaces Firebreak's Redis keys and BullMQ queues; tests give each run its own. @defaultValue REDIS_PREFIX */
  prefix?: string;
  /** Per-channel message pacing, counted in Redis for every replica; tests shorten it. @defaultValue 1 message/s with a burst of 4 */
  pacer?: ChannelPacer;
  /** How long a Web API call may take before its outcome counts as unknown. @defaultValue 10000 */
  slackTimeoutMs?: number;
  /**
   * How long `stop()` lets running jobs finish before closing workers forcibly.
   * @defaultValue SHUTDOWN_GRACE_SECONDS (25 s — inside Kubernetes' default 30 s termination grace period)
   */
  shutdownGraceMs?: number;
  /** The mask the process's logger applies (`createLogger`); the runbooks' declared secrets join it. */
  secretMask?: SecretMask;
  /** How often resolved incidents past INCIDENT_RETENTION are swept. @defaultValue 1 hour */
  retentionSweepMs?: number;
}

export interface RunningBot {
  /** http://127.0.0.1:<port>: `/slack/events` (HTTP mode), `/alerts/alertmanager`, `/healthz`, `/readyz`, `/metrics`. */
  url: string;
  /** Where `/metrics` (and `/healthz`, `/readyz`) are: METRICS_PORT's listener, or `url` when it is unset. */
  metricsUrl: string;
  deps: IncidentDeps;
  /** Slack's side of each incident (channel, header, posted messages). */
  ledger: SlackLedger;
  /** The registry `/metrics` serves, for counters kept outside the core (the process guard's). */
  registry: Registry;
  stop(): Promise<void>;
}

/**
 * The bot: the core, Slack as its surface, the incident and delivery workers (and the executor
 * worker unless EXECUTORS=off), and the HTTP server. Shared by `src/main.ts`, the end-to-end tests
 * and the demo, so all three run the same bot.
 */
export async function startBot(config: Config, log: Logger, options: BotOptions = {}): Promise<RunningBot> {
  const graceMs = options.shutdownGraceMs ?? config.shutdownGraceMs;
  const core = await buildCore(config, log, {
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.secretMask ? { secretMask: options.secretMask } : {}),
    reservedKinds: reservedKinds(),
  });
  log.info({ kinds: [...core.deps.runbooks.keys()] }, 'runbooks loaded');
  // EXECUTORS=on and WORKER_ROLES make the bot one of the hosts' workers too (one machine, one process).
  const hands =
    config.executors || config.workerRoles.length > 0
      ? await startHostHands(config, core, { process: 'bot', unplaced: config.executors })
      : undefined;
  const slack = createSlackSurface(core.deps, {
    settings: config.slack,
    responders: config.responders,
    announceChannel: config.announceChannel,
    redis: core.redis,
    workerConnection: core.workerRedis,
    prefix: core.prefix,
    secretMask: core.secretMask,
    displayVars: core.displayVars,
    queuePrefix: core.queuePrefix,
    deliveryPrefix: core.queuePrefix(DELIVERY_QUEUE),
    ...(options.pacer ? { pacer: options.pacer } : {}),
    ...(options.slackTimeoutMs !== undefined ? { apiTimeoutMs: options.slackTimeoutMs } : {}),
    closing: { verification: core.verification, postmortem: core.postmortem },
    metrics: core.metrics,
  });
  const alerts = createAlertSurface(core.deps, core.metrics, {
    token: config.alertWebhookToken,
    redis: core.redis,
    workerConnection: core.workerRedis,
    prefix: core.prefix,
    queuePrefix: core.queuePrefix,
  });
  const epoch = await watchRedisEpoch(core.redis, core.prefix, log, { onLost: (text) => slack.alert(text) });
  const workers: Worker[] = [
    createIncidentWorker(
      core.deps,
      { surface: slack.surface, announce: true },
      { connection: core.workerRedis, prefix: core.queuePrefix(INCIDENT_QUEUE) },
    ),
    createDeadlineWorker(core.deps, {
      connection: core.workerRedis,
      prefix: core.queuePrefix(DEADLINE_QUEUE),
    }),
    ...slack.workers,
    // Checks and postmortems run here: they probe the targets and query Prometheus like the diagnosis.
    createCheckWorker(core.verification, { connection: core.workerRedis, prefix: core.prefix }),
    createPostmortemWorker(core.postmortem, { connection: core.workerRedis, prefix: core.prefix }),
    ...alerts.workers,
  ];
  if (hands) workers.push(...hands.workers);
  const watch = startWatching(core.deps, { registry: core.registry, redis: core.redis, prefix: core.prefix });
  for (const worker of workers) observeJobDurations(worker, core.metrics.jobDuration);

  const readiness: ReadinessCheck[] = [
    core.redisCheck,
    epoch.check,
    {
      name: 'runbooks',
      check: async () => ({ ok: core.deps.runbooks.size > 0, detail: core.deps.runbooks.size }),
    },
    slack.readiness,
    fleetReadiness(core),
  ];
  const http = await startBotHttp(
    config,
    [...slack.routes, ...alerts.routes],
    readiness,
    core.metrics.registry,
    log,
  );
  const { url, metricsUrl } = http;
  await slack.start();
  log.info(
    { url, mode: config.slack.appToken ? 'socket' : 'http', executors: config.executors },
    'firebreak is up',
  );

  const retention = config.retentionMs
    ? startRetentionSweep({
        store: core.deps.store,
        log,
        retentionMs: config.retentionMs,
        owners: [slack.ledger, core.verification.checklist],
        ...(options.retentionSweepMs ? { everyMs: options.retentionSweepMs } : {}),
      })
    : undefined;

  const requeued = await requeueApproved(core.deps).catch((err) => {
    log.error({ err }, 'could not re-queue approved actions');
    return 0;
  });
  if (requeued > 0) log.info({ requeued }, 're-queued approved actions that had not run');
  // Deadlines of cards offered just before a crash; the ids make this a no-op for the rest.
  await scheduleOpenDeadlines(core.deps).catch((err) => log.error({ err }, 'could not schedule deadlines'));
  const resumed = await resumeChecklists(core.verification).catch((err) => {
    log.error({ err }, 'could not resume the recovery checklists');
    return 0;
  });
  if (resumed > 0) log.info({ resumed }, 'recovery checklists resumed');

  let stopped: Promise<void> | undefined;
  return {
    url,
    metricsUrl,
    deps: core.deps,
    ledger: slack.ledger,
    registry: core.metrics.registry,
    stop() {
      // Reverse order: stop taking requests, let workers finish their jobs, then drop Redis. Once.
      stopped ??= (async () => {
        await within(http.close(), 3000);
        await retention?.stop();
        await slack.stop();
        watch.stop();
        epoch.stop();
        await closeWorkers(workers, graceMs, log);
        await hands?.close();
        await alerts.close();
        await core.close();
      })();
      return stopped;
    },
  };
}
