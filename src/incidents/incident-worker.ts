import { type ConnectionOptions, Worker } from 'bullmq';
import type { IncidentDeps } from './incident-deps.js';
import { INCIDENT_QUEUE, type OpenJob, openJobSchema } from './incident-queue.js';
import { type OpenFlowOptions, runOpenFlow } from './run-open-flow.js';

/** Runs incident openings; several at once, since each mostly waits on Slack and on probes. */
export function createIncidentWorker(
  deps: IncidentDeps,
  flow: OpenFlowOptions,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<OpenJob> {
  const worker = new Worker<OpenJob>(
    INCIDENT_QUEUE,
    async (job) => runOpenFlow(deps, flow, openJobSchema.parse(job.data).incidentId),
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 4 },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'incident worker error'));
  worker.on('failed', (job, err) =>
    deps.log.error(
      { err, incidentId: job?.data.incidentId, attempts: job?.attemptsMade },
      'opening an incident failed',
    ),
  );
  return worker;
}
