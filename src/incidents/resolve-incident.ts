import type { Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';

export type ResolveResult = { kind: 'resolved'; incident: Incident } | { kind: 'refused'; reason: string };

/** Closes an incident: its remaining buttons stop working and the thread says who resolved it. */
export async function resolveIncident(
  deps: Pick<IncidentDeps, 'store' | 'timeline' | 'now' | 'log'>,
  incidentId: string,
  userId: string,
): Promise<ResolveResult> {
  const before = await deps.store.get(incidentId);
  if (!before) return { kind: 'refused', reason: `incident ${incidentId} does not exist` };
  const moved = await deps.store.transitionStatus(
    incidentId,
    ['opening', 'investigating', 'mitigating'],
    'resolved',
    {
      resolvedBy: userId,
      resolvedAt: deps.now().toISOString(),
    },
  );
  if (!moved.ok)
    return { kind: 'refused', reason: `incident ${incidentId} is already ${moved.current?.status}` };
  await deps.timeline.record(
    incidentId,
    { type: 'incident.status', from: before.status, to: 'resolved' },
    userId,
  );
  deps.log.info({ incidentId, by: userId }, 'incident resolved');
  return { kind: 'resolved', incident: moved.value };
}
