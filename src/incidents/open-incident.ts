import { FirebreakError } from '../errors.js';
import type { Actor } from '../timeline/actor.js';
import type { Incident } from './incident.js';
import { newIncidentId } from './incident.js';
import type { IncidentAlert } from './incident-alert.js';
import type { IncidentDeps } from './incident-deps.js';
import { isMoreSevere } from './severity.js';

export interface OpenRequest {
  kind: string;
  summary: string;
  /** Who asked for it, through which surface. */
  actor: Actor;
  /** The whole flow, but every action only reports what it would do (`/incident 503 dry-run`). */
  dryRun?: boolean;
  /**
   * The alert that asks for it (the Alertmanager surface): kept on the incident, its `startsAt` as
   * `alertedAt`, and its severity when that ranks above the runbook's.
   */
  alert?: IncidentAlert;
  /**
   * Runs once the incident is recorded and before its opening is queued, so a surface can keep what
   * only it needs (Slack: where the command was typed, its response URL) before any step reads it.
   * A failure takes the incident back, like a failure to queue.
   */
  recorded?: (incident: Incident) => Promise<void>;
}

/**
 * Records a new incident and queues its opening (its place on the surfaces, diagnosis, actions).
 * Fast: a few Redis writes, so a slash command can answer well within Slack's 3 s.
 */
export async function openIncident(
  deps: Pick<IncidentDeps, 'store' | 'runbooks' | 'incidentQueue' | 'now' | 'log' | 'metrics'>,
  request: OpenRequest,
): Promise<Incident> {
  const runbook = deps.runbooks.get(request.kind);
  if (!runbook) {
    throw new FirebreakError('runbook_unknown', `no runbook for incident kind "${request.kind}"`);
  }
  const now = deps.now();
  const { alert } = request;
  const raisedTo =
    alert?.severity && isMoreSevere(alert.severity, runbook.severity) ? alert.severity : undefined;
  let incident: Incident | undefined;
  for (let tries = 0; tries < 5 && !incident; tries++) {
    const candidate: Incident = {
      id: newIncidentId(runbook.kind, now),
      kind: runbook.kind,
      title: runbook.title,
      summary: request.summary,
      severity: raisedTo ?? runbook.severity,
      status: 'opening',
      openedBy: request.actor.id,
      openedVia: request.actor.via,
      openedAt: now.toISOString(),
      ...(alert ? { alert, alertedAt: alert.startsAt } : {}),
      ...(raisedTo && alert ? { severityRaisedBy: alert.name } : {}),
      progress: {},
      ...(request.dryRun || runbook.dryRun ? { dryRun: true } : {}),
    };
    if (await deps.store.create(candidate)) incident = candidate;
  }
  if (!incident) throw new Error('could not allocate a unique incident id after 5 tries');
  try {
    await request.recorded?.(incident);
    await deps.incidentQueue.add('open', { incidentId: incident.id }, { jobId: `open-${incident.id}` });
  } catch (err) {
    // Nobody would ever open it, and the requester is told it failed: take it back rather than leave
    // an incident stuck in `opening` in every /incident status.
    const discarded = await deps.store.discard(incident.id).catch(() => false);
    deps.log.error(
      { err, incidentId: incident.id, discarded },
      'could not queue the opening of an incident; it was not created',
    );
    throw err;
  }
  deps.metrics.incidentsOpened.inc({ kind: incident.kind, source: incident.openedVia });
  deps.log.info(
    { incidentId: incident.id, kind: incident.kind, openedBy: incident.openedBy, via: incident.openedVia },
    'incident opened',
  );
  return incident;
}
