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
        // The channel is archived or gone, or Slack refuses to create one (scopes, workspace policy):
        // facts no retry changes. Close the incident rather than leave it `opening` for ever, say why
        // to the requester, and fail the job without retries.
        await closeUnopened(deps, flow, incidentId, err.message, 'run `/incident` again once that is fixed.');
        throw new UnrecoverableError(err.message);
      }
    },
    { connection: options.connection, ...(options.prefix ? { prefix: options.prefix } : {}), concurrency: 4 },
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
 * Every retry of an opening failed (Slack or Redis out for minutes): close the incident instead of
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
  const cause = isFirebreakError(err) ? err.message : 'Slack or Redis kept failing';
  await closeUnopened(
    deps,
    flow,
    incidentId,
    `gave up after every retry: ${cause}`,
    'run `/incident` again; if it fails again, follow the runbook by hand.',
  );
}

/** Closes an incident whose opening cannot go on, with the reason in its timeline, and tells the requester. */
async function closeUnopened(
  deps: IncidentDeps,
  flow: OpenFlowOptions,
  incidentId: string,
  reason: string,
  advice: string,
): Promise<void> {
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
  await flow.channel.tellRequester(
    before,
    `:warning: Incident *${before.id}* could not be opened: ${reason}. Nothing was run and the incident is closed; ${advice}`,
  );
}
