import { type ConnectionOptions, DelayedError, Worker } from 'bullmq';
import type { IncidentDeps } from '../incident-deps.js';
import { DEADLINE_QUEUE, type DeadlineJob, deadlineJobSchema } from './deadline-queue.js';
import { fireDeadline } from './fire-deadline.js';

/**
 * Fires group deadlines when their delayed jobs come due. A job that comes early by the core's
 * clock goes back to waiting for the rest of the time, so the core's clock (the tests' own) decides.
 */
export function createDeadlineWorker(
  deps: IncidentDeps,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<DeadlineJob> {
  const worker = new Worker<DeadlineJob>(
    DEADLINE_QUEUE,
    async (job, token) => {
      const data = deadlineJobSchema.parse(job.data);
      const outcome = await fireDeadline(deps, data);
      if (outcome.kind === 'not-due') {
        await job.moveToDelayed(Date.now() + outcome.inMs, token);
        throw new DelayedError();
      }
    },
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 4 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'deadline worker error'));
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id }, 'deadline job failed'));
  return worker;
}
