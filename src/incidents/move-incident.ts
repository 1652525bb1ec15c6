import type { Actor } from '../timeline/actor.js';
import type { TimelineEvent } from '../timeline/timeline-entry.js';
import type { Incident, IncidentStatus } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';
import type { StatusMove } from './incident-store.js';

export interface MoveOptions {
  /** Fields set in the same atomic step (who resolved it, when). */
  fields?: Partial<Incident>;
  actor?: Actor;
  /** Entries that explain the move, recorded once it happened and before the status entry. */
  because?: readonly TimelineEvent[];
}

/**
 * The one way an incident's status changes: a compare-and-set in the store, then its timeline
 * entry (`incident.status`, from the status it really left). Nothing is recorded when someone else
 * moved it first.
 */
export async function moveIncident(
  deps: Pick<IncidentDeps, 'store' | 'timeline'>,
  incidentId: string,
  from: readonly IncidentStatus[],
  to: IncidentStatus,
  options: MoveOptions = {},
): Promise<StatusMove> {
  const moved = await deps.store.transitionStatus(incidentId, from, to, options.fields);
  if (!moved.ok) return moved;
  for (const event of options.because ?? []) await deps.timeline.record(incidentId, event, options.actor);
  await recordStatusEntry(deps, incidentId, moved.from, to, options.actor);
  return moved;
}

/** The timeline entry of a status move; exported for the opening flow's resumption only. */
export async function recordStatusEntry(
  deps: Pick<IncidentDeps, 'timeline'>,
  incidentId: string,
  from: IncidentStatus,
  to: IncidentStatus,
  actor?: Actor,
): Promise<void> {
  await deps.timeline.record(incidentId, { type: 'incident.status', from, to }, actor);
}
