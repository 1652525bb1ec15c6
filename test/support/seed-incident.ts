import { offeredStates } from '../../src/incidents/action-state.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { Runbook } from '../../src/runbooks/runbook-schema.js';

/**
 * Stores an incident as if its opening had finished — investigating, every step of the opening
 * done, opened by `openedBy` in Slack just now — with every action of `runbook` offered. Throws when
 * the id is taken, so two tests never share an incident by accident.
 */
export async function seedIncident(
  store: IncidentStore,
  runbook: Runbook,
  incident: Pick<Incident, 'id' | 'kind' | 'title' | 'openedBy'> & Partial<Incident>,
): Promise<Incident> {
  const seeded: Incident = {
    summary: '',
    severity: 'major',
    status: 'investigating',
    openedVia: 'slack',
    openedAt: new Date().toISOString(),
    progress: { prepared: true, announced: true, diagnosed: true, offered: true },
    ...incident,
  };
  if (!(await store.create(seeded))) throw new Error(`incident ${seeded.id} exists`);
  await store.offerActions(seeded.id, offeredStates(runbook));
  return seeded;
}
