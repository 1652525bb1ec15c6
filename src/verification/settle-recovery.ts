import type { Incident } from '../incidents/incident.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import { checklistTiers, firstTierPassed } from './checklist-plan.js';
import { durationsOf, milestonesOf } from './incident-milestones.js';
import type { VerificationDeps } from './verification-deps.js';

/**
 * Records the incident's recovered time the first time every check of the first tier has passed:
 * set once (HSETNX), then told (`incident.recovered`) and measured (MTTR). Returns the time when this
 * call set it; undefined when it was set already or the first tier is not green yet.
 */
export async function settleRecovery(
  deps: VerificationDeps,
  incident: Incident,
  runbook: Runbook,
): Promise<string | undefined> {
  const record = await deps.checklist.read(incident.id);
  if (record.recoveredAt || !firstTierPassed(runbook, record.results)) return undefined;
  const at = deps.now().toISOString();
  if (!(await deps.checklist.markOnce(incident.id, 'recoveredAt', at))) return undefined;
  const checkIds = checklistTiers(runbook)[0]?.items.map((i) => i.id) ?? [];
  await deps.timeline.record(incident.id, { type: 'incident.recovered', checkIds });
  const toRecover = durationsOf(milestonesOf(incident, { ...record, recoveredAt: at })).recover;
  if (toRecover !== undefined) deps.metrics.timeToRecover.observe({ kind: incident.kind }, toRecover);
  deps.log.info({ incidentId: incident.id, recoveredAt: at }, 'incident recovered');
  return at;
}
