import type { TimelineObserver } from '../timeline/observe-timeline.js';
import { durationsOf, milestonesOf } from './incident-milestones.js';
import { startChecklist } from './start-checklist.js';
import type { VerificationDeps } from './verification-deps.js';

/**
 * What the checklist and the metrics learn from the timeline, wherever the entry was recorded (the
 * bot or `npm run worker`): the first approval (MTTA), the first successful mitigation (which starts
 * the checklist), each action's executor and outcome, and the resolve. The
 * moments are the entries' own `at`, set once, so the postmortem reads the same times.
 */
export function observeMilestones(deps: VerificationDeps): TimelineObserver {
  return async (incidentId, entry) => {
    switch (entry.type) {
      case 'action.decided': {
        if (entry.status !== 'queued' || !entry.actor) return;
        if (!(await deps.checklist.markOnce(incidentId, 'approvedAt', entry.at))) return;
        const incident = await deps.store.get(incidentId);
        if (!incident) return;
        const toAck = durationsOf(milestonesOf(incident, await deps.checklist.read(incidentId))).acknowledge;
        if (toAck !== undefined) deps.metrics.timeToAcknowledge.observe({ kind: incident.kind }, toAck);
        return;
      }
      case 'action.finished': {
        const incident = await deps.store.get(incidentId);
        const runbook = incident && deps.runbooks.get(incident.kind);
        const action = runbook?.actions.find((a) => a.id === entry.actionId);
        deps.metrics.actionsByExecutor.inc({
          executor: action?.run.type ?? 'unknown',
          outcome: entry.status,
        });
        const group = runbook?.groups.find((g) => g.id === action?.group);
        // Normalization (after recovery) undoes mitigations; it is not one.
        if (entry.status === 'succeeded' && group?.offer === 'immediately') {
          await startChecklist(deps, incidentId, entry.at);
        }
        return;
      }
      case 'incident.status': {
        if (entry.to !== 'resolved') return;
        const incident = await deps.store.get(incidentId);
        if (incident) deps.metrics.incidentsResolved.inc({ kind: incident.kind, source: incident.openedVia });
        return;
      }
      default:
        return;
    }
  };
}
