import type { TimelineEntry, TimelineEvent } from '../timeline/timeline-entry.js';
import type { IncidentDeps } from './incident-deps.js';

/** What an alert group can tell an incident after it opened or joined it. */
export type AlertEvent = Extract<TimelineEvent, { type: 'alert.firing' | 'alert.resolved' }>;

/**
 * Records news of an incident's alert group — still firing, changed, resolved — as an entry by the
 * alert through Alertmanager. It never moves the incident: an alert that resolves is a fact for the
 * people working it, who resolve the incident themselves. Undefined when the incident is not open.
 */
export async function recordAlertEvent(
  deps: Pick<IncidentDeps, 'store' | 'timeline'>,
  incidentId: string,
  event: AlertEvent,
): Promise<TimelineEntry | undefined> {
  const incident = await deps.store.get(incidentId);
  if (!incident || incident.status === 'resolved') return undefined;
  return deps.timeline.record(incidentId, event, { id: event.alertname, via: 'alertmanager' });
}
