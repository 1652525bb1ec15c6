import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { IncidentAlert } from './incident-alert.js';
import type { IncidentDeps } from './incident-deps.js';

/** An alert group joining an incident: the alert it leads with, and how many of the group fire since when. */
export interface AlertJoin {
  alert: IncidentAlert;
  firing: number;
  /** The earliest `startsAt` of the group's firing alerts. */
  since: string;
}

/**
 * An alert of another of the runbook's triggers reaches an open incident it did not open: recorded
 * on the incident (its first alert, the earliest "alerted at", a severity above the incident's
 * raises it) and in the timeline as `alert.attached`, by the alert through Alertmanager. Undefined
 * when the incident is no longer open: the caller opens a new one instead.
 */
export async function attachAlert(
  deps: Pick<IncidentDeps, 'store' | 'timeline' | 'log'>,
  incidentId: string,
  join: AlertJoin,
): Promise<TimelineEntry | undefined> {
  const { alert } = join;
  const added = await deps.store.addAlert(incidentId, alert);
  if (!added.open) return undefined;
  const raised = added.raisedFrom !== undefined && alert.severity !== undefined;
  if (raised) {
    deps.log.info(
      { incidentId, alert: alert.name, from: added.raisedFrom, to: alert.severity },
      'an alert raised the severity of an incident',
    );
  }
  return deps.timeline.record(
    incidentId,
    {
      type: 'alert.attached',
      alertname: alert.name,
      firing: join.firing,
      since: join.since,
      ...(alert.summary ? { summary: alert.summary } : {}),
      ...(raised ? { severity: { from: added.raisedFrom as string, to: alert.severity as string } } : {}),
    },
    { id: alert.name, via: 'alertmanager' },
  );
}
