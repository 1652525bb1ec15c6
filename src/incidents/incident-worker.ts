import { type ConnectionOptions, UnrecoverableError, Worker } from 'bullmq';
import { isFirebreakError } from '../errors.js';
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
    async (job) => {
      const { incidentId } = openJobSchema.parse(job.data);
      try {
        await runOpenFlow(deps, flow, incidentId);
      } catch (err) {
        if (!isFirebreakError(err, 'slack_channel_unusable')) throw err;
        // The channel is archived or gone: a fact no retry changes. Close the incident rather than
        // leave it `opening` for ever, and fail the job without retries.
        await abandonOpening(deps, incidentId, err.message);
        throw new UnrecoverableError(err.message);
      }
    },
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

/** Closes an incident whose opening cannot go on, with the reason in its timeline. */
async function abandonOpening(deps: IncidentDeps, incidentId: string, reason: string): Promise<void> {
  const before = await deps.store.get(incidentId);
  if (!before) return;
  const closed = await deps.store.transitionStatus(
    incidentId,
    ['opening', 'investigating', 'mitigating'],
    'resolved',
    { resolvedAt: deps.now().toISOString() },
  );
  if (!closed.ok) return;
  await deps.timeline.record(incidentId, { type: 'note', text: `Opening stopped: ${reason}.` });
  await deps.timeline.record(incidentId, { type: 'incident.status', from: before.status, to: 'resolved' });
  deps.log.warn({ incidentId, reason }, 'incident closed: its opening cannot go on');
}
