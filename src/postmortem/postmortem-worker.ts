import { type ConnectionOptions, Worker } from 'bullmq';
import type { TimelineObserver } from '../timeline/observe-timeline.js';
import type { PostmortemDeps } from './postmortem-deps.js';
import {
  POSTMORTEM_QUEUE,
  type PostmortemJob,
  postmortemJobId,
  postmortemJobSchema,
} from './postmortem-queue.js';
import { writePostmortem } from './write-postmortem.js';

/** On resolve, the postmortem is queued once (same job id whoever resolves, however often it is told). */
export function observeResolution(deps: PostmortemDeps): TimelineObserver {
  return async (incidentId, entry) => {
    if (entry.type !== 'incident.status' || entry.to !== 'resolved') return;
    await deps.postmortemQueue.add('write', { incidentId }, { jobId: postmortemJobId(incidentId) });
  };
}

/** Writes the postmortems of resolved incidents, in the bot process (it queries Prometheus and SQL). */
export function createPostmortemWorker(
  deps: PostmortemDeps,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<PostmortemJob> {
  const worker = new Worker<PostmortemJob>(
    POSTMORTEM_QUEUE,
    async (job) => {
      await writePostmortem(deps, postmortemJobSchema.parse(job.data).incidentId);
    },
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 1 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'postmortem worker error'));
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id }, 'writing a postmortem failed'));
  return worker;
}
