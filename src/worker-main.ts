import { Redis } from 'ioredis';
import { loadDotEnv } from './config/load-dot-env.js';
import { readConfig } from './config/read-config.js';
import { isFirebreakError } from './errors.js';
import { createActionWorker } from './executors/action-worker.js';
import { RedisIncidentStore } from './incidents/incident-store.js';
import { within } from './lifecycle/within.js';
import { createLogger } from './logging/logger.js';
import { loadRunbooks } from './runbooks/load-runbooks.js';
import { createDeliveryQueue } from './timeline/delivery-queue.js';
import { createTimelineRecorder } from './timeline/timeline-recorder.js';

// `npm run worker`: executors alone, on the host that may touch the targets. No Slack credentials:
// results go to the incident store and timeline; the bot delivers them to Slack.
try {
  loadDotEnv();
  const config = readConfig(process.env, 'worker');
  const log = createLogger(config.logLevel).child({ role: 'worker' });
  const runbooks = await loadRunbooks(config.runbookDir);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  const workerRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  for (const r of [redis, workerRedis])
    r.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis error'));
  const store = new RedisIncidentStore(redis, `${config.redisPrefix}:`);
  const deliveries = createDeliveryQueue(redis, config.redisPrefix);
  const timeline = createTimelineRecorder(store, deliveries, log);
  const worker = createActionWorker(
    {
      store,
      runbooks,
      timeline,
      log,
      now: () => new Date(),
      vars: config.vars,
      secrets: config.secrets,
      allowedPrograms: config.allowedPrograms,
    },
    { connection: workerRedis, prefix: config.redisPrefix },
  );
  log.info(
    { kinds: [...runbooks.keys()], allowedPrograms: [...config.allowedPrograms] },
    'executor worker is up',
  );
  deliveries.on('error', (err) => log.warn({ err: { message: err.message } }, 'delivery queue error'));
  const shutdown = async () => {
    // Bounded like the bot's stop(): a running action gets 25 s, then its job is left to stall.
    if (!(await within(worker.close(), 25_000))) await within(worker.close(true), 2000);
    await within(deliveries.close(), 2000);
    workerRedis.disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
} catch (err) {
  if (isFirebreakError(err)) console.error(`firebreak worker: ${err.message}`);
  else console.error('firebreak worker: failed to start:', err);
  process.exit(1);
}
