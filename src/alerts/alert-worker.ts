import { type ConnectionOptions, Worker } from 'bullmq';
import { ALERT_QUEUE, type AlertJob, alertJobSchema } from './alert-queue.js';
import { type AlertGroupDeps, handleAlertGroup } from './handle-alert-group.js';

/**
 * Handles queued alert groups. Several at once (different groups are independent; one group's jobs
 * never run side by side, see `enqueueAlertGroup`), each a few Redis round trips unless it opens.
 */
export function createAlertWorker(
  deps: AlertGroupDeps,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<AlertJob> {
  const worker = new Worker<AlertJob>(
    ALERT_QUEUE,
    async (job) => {
      const { groupId } = alertJobSchema.parse(job.data);
      const result = await handleAlertGroup(deps, groupId, `job-${job.id}`);
      deps.log.debug({ groupId, ...result }, 'alert group handled');
      return result;
    },
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 4 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'alert worker error'));
  worker.on('failed', (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    deps.log[final ? 'error' : 'warn'](
      { err, groupId: job?.data.groupId, attempts: job?.attemptsMade },
      final
        ? "an alert group could not be handled; Alertmanager's next notification of it tries again"
        : 'handling an alert group failed; retrying',
    );
  });
  return worker;
}
