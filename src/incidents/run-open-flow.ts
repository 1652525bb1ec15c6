import { runDiagnosis } from '../diagnostics/run-diagnosis.js';
import { FirebreakError } from '../errors.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import { offeredStates } from './action-state.js';
import { scheduleDeadlines } from './deadlines/schedule-deadlines.js';
import type { Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';
import type { IncidentSurface } from './incident-surface.js';
import { moveIncident, recordStatusEntry } from './move-incident.js';

export interface OpenFlowOptions {
  surface: IncidentSurface;
  /** Announce new incidents (the bot does; a test of the flow alone may not). */
  announce: boolean;
}

/**
 * Opens an incident step by step. Each step records its progress on the incident before the next
 * starts, so a retry after a crash, a surface error or a restart continues where it stopped.
 */
export async function runOpenFlow(
  deps: IncidentDeps,
  options: OpenFlowOptions,
  incidentId: string,
): Promise<void> {
  let incident = await deps.store.get(incidentId);
  if (!incident) throw new FirebreakError('incident_not_found', `incident ${incidentId} not found`);
  if (incident.status === 'resolved') return;
  const runbook = deps.runbooks.get(incident.kind);
  if (!runbook) throw new FirebreakError('runbook_unknown', `runbook "${incident.kind}" is no longer loaded`);

  if (!incident.progress.prepared) {
    await options.surface.prepare(incident);
    incident = await markProgress(deps, incident, 'prepared');
  }
  // A retry after a failure between recording an entry and marking its step done must not record it
  // (and so post it) twice: the timeline itself says what is already there.
  const recorded = async (match: (entry: TimelineEntry) => boolean) =>
    (await deps.store.readTimeline(incidentId)).some(match);
  if (!(await recorded((e) => e.type === 'incident.opened'))) {
    await deps.timeline.record(
      incidentId,
      { type: 'incident.opened', summary: incident.summary },
      { id: incident.openedBy, via: incident.openedVia },
    );
  }
  if (options.announce && !incident.progress.announced) {
    await options.surface.announce(incident);
    incident = await markProgress(deps, incident, 'announced');
  }
  if (!incident.progress.diagnosed) {
    if (!(await recorded((e) => e.type === 'diagnosis.completed'))) {
      const diagnosis = await runDiagnosis(runbook, {
        vars: deps.vars,
        allowedPrograms: deps.allowedPrograms,
        ...(deps.hostProbes ? { remote: deps.hostProbes } : {}),
        procRoot: deps.procRoot,
        probeDurations: deps.metrics.probeDuration,
      });
      await deps.store.saveDiagnosis(incidentId, diagnosis);
      await deps.timeline.record(incidentId, { type: 'diagnosis.completed' });
    }
    incident = await markProgress(deps, incident, 'diagnosed');
  }
  if (!incident.progress.offered) {
    await deps.store.offerActions(incidentId, offeredStates(runbook));
    // Investigating before the cards go out, so they are rendered with live buttons; its entry comes
    // after them, as the thread has always read.
    const moved = await deps.store.transitionStatus(incidentId, ['opening'], 'investigating');
    const timeline = await deps.store.readTimeline(incidentId);
    const offered = new Set(timeline.flatMap((e) => (e.type === 'actions.offered' ? [e.groupId] : [])));
    for (const group of runbook.groups) {
      if (offered.has(group.id)) continue;
      await deps.timeline.record(incidentId, { type: 'actions.offered', groupId: group.id });
    }
    // Moved now, or moved by an attempt that failed before it could say so.
    const status = moved.ok ? moved.value.status : moved.current?.status;
    const said = timeline.some((e) => e.type === 'incident.status' && e.from === 'opening');
    if (moved.ok || (status === 'investigating' && !said)) {
      await recordStatusEntry(deps, incidentId, 'opening', 'investigating');
    }
    // Each group's deadline counts from its offer; the jobs' ids make a retry schedule nothing twice.
    await scheduleDeadlines(deps, incidentId);
    await markProgress(deps, incident, 'offered');
  }
}

/**
 * Closes an incident whose opening cannot go on, with the reason in its timeline, and tells the
 * requester. Used by the incident worker when a surface refuses for good or every retry failed.
 */
export async function closeUnopened(
  deps: IncidentDeps,
  surface: IncidentSurface,
  incidentId: string,
  reason: string,
  advice: 'fix-then-retry' | 'retry-or-by-hand',
): Promise<void> {
  const moved = await moveIncident(deps, incidentId, ['opening', 'investigating', 'mitigating'], 'resolved', {
    fields: { resolvedAt: deps.now().toISOString() },
    because: [{ type: 'note', text: `Opening stopped: ${reason}.` }],
  });
  if (!moved.ok) return;
  deps.log.warn({ incidentId, reason }, 'incident closed: its opening cannot go on');
  await surface.notifyRequester(moved.value, { type: 'not-opened', reason, advice });
}

async function markProgress(
  deps: IncidentDeps,
  incident: Incident,
  step: keyof Incident['progress'],
): Promise<Incident> {
  const progress = { ...incident.progress, [step]: true };
  await deps.store.patch(incident.id, { progress });
  return { ...incident, progress };
}
