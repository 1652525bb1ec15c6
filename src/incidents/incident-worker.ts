import { type ConnectionOptions, UnrecoverableError, Worker } from 'bullmq';
import { isFirebreakError } from '../errors.js';
import type { IncidentDeps } from './incident-deps.js';
import { INCIDENT_QUEUE, type OpenJob, openJobSchema } from './incident-queue.js';
import { closeUnopened, type OpenFlowOptions, runOpenFlow } from './run-open-flow.js';

/**
 * Runs incident openings, many at once: each mostly waits on its probes and on the surface, and
 * costs little CPU (~80 ms), so a slot held by a waiting probe must not keep another incident's
 * diagnosis from starting. @defaultValue concurrency 64
 */
export function createIncidentWorker(
  deps: IncidentDeps,
  flow: OpenFlowOptions,
  options: { connection: ConnectionOptions; prefix?: string; concurrency?: number },
): Worker<OpenJob> {
  const worker = new Worker<OpenJob>(
    INCIDENT_QUEUE,
    async (job) => {
      const { incidentId } = openJobSchema.parse(job.data);
      try {
        await runOpenFlow(deps, flow, incidentId);
      } catch (err) {
        if (!isFirebreakError(err, 'surface_unusable')) throw err;
        // The channel is archived or gone, or Slack refuses to create one (scopes, workspace policy):
        // facts no retry changes. Close the incident rather than leave it `opening` for ever, say why
        // to the requester, and fail the job without retries.
        await closeUnopened(deps, flow.surface, incidentId, err.message, 'fix-then-retry');
        throw new UnrecoverableError(err.message);
      }
    },
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      concurrency: options.concurrency ?? 64,
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'incident worker error'));
  worker.on('failed', (job, err) => {
    deps.log.error(
      { err, incidentId: job?.data.incidentId, attempts: job?.attemptsMade },
      'opening an incident failed',
    );
    const exhausted = job && job.attemptsMade >= (job.opts.attempts ?? 1);
    if (job && exhausted && !(err instanceof UnrecoverableError)) {
      giveUpOpening(deps, flow, job.data.incidentId, err).catch((e) =>
        deps.log.error(
          { err: e, incidentId: job.data.incidentId },
          'could not close an incident that failed to open',
        ),
      );
    }
  });
  return worker;
}

/**
 * Every retry of an opening failed (the surface or Redis out for minutes): close the incident instead of
 * leaving it `opening` for ever, and tell the requester, who is otherwise left waiting in silence.
 */
async function giveUpOpening(
  deps: IncidentDeps,
  flow: OpenFlowOptions,
  incidentId: string,
  err: Error,
): Promise<void> {
  const incident = await deps.store.get(incidentId);
  if (incident?.status !== 'opening') return;
  const cause = isFirebreakError(err) ? err.message : 'the chat surface or Redis kept failing';
  await closeUnopened(
    deps,
    flow.surface,
    incidentId,
    `gave up after every retry: ${cause}`,
    'retry-or-by-hand',
  );
}
