import { activeStatuses, type Incident } from '../incidents/incident.js';
import type { Refusal } from '../incidents/refusal.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { VerificationDeps } from './verification-deps.js';

/** An incident whose checks may still run or be ticked (it exists and is not resolved), with its runbook. */
export async function openIncidentOf(
  deps: Pick<VerificationDeps, 'store' | 'runbooks'>,
  incidentId: string,
): Promise<{ ok: true; incident: Incident; runbook: Runbook | undefined } | { ok: false; refusal: Refusal }> {
  const incident = await deps.store.get(incidentId);
  if (!incident) return { ok: false, refusal: { code: 'incident-unknown', incidentId } };
  if (!activeStatuses.has(incident.status)) {
    return { ok: false, refusal: { code: 'incident-closed', incidentId, status: incident.status } };
  }
  return { ok: true, incident, runbook: deps.runbooks.get(incident.kind) };
}
