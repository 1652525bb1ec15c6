import { runDiagnosis } from '../diagnostics/run-diagnosis.js';
import { FirebreakError } from '../errors.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { ActionState } from './action-state.js';
import type { Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';

/** The incident's place in the chat tool. The Slack adapter implements it; the core never sees Slack. */
export interface IncidentChannelPort {
  /** Creates the incident's channel (retrying on a taken name) and returns it. */
  createChannel(incident: Incident): Promise<{ id: string; name: string }>;
  invite(channelId: string, userIds: readonly string[]): Promise<void>;
  /** Posts the header message whose thread is the timeline; returns its ts. */
  postHeader(incident: Incident): Promise<string>;
  announce(incident: Incident): Promise<void>;
  /** Tells the person who asked for the incident something only they need to know; never throws. */
  tellRequester(incident: Incident, text: string): Promise<void>;
}

export interface OpenFlowOptions {
  channel: IncidentChannelPort;
  responders: readonly string[];
  announce: boolean;
}

/**
 * Opens an incident step by step. Each step records its progress on the incident before the next
 * starts, so a retry after a crash, a Slack error or a restart continues where it stopped.
 */
export async function runOpenFlow(
  deps: IncidentDeps,
  options: OpenFlowOptions,
  incidentId: string,
): Promise<void> {
  const load = async () => {
    const incident = await deps.store.get(incidentId);
    if (!incident) throw new FirebreakError('incident_not_found', `incident ${incidentId} not found`);
    return incident;
  };
  let incident = await load();
  if (incident.status === 'resolved') return;
  const log = deps.log.child({ incidentId });
  const runbook = deps.runbooks.get(incident.kind);
  if (!runbook) throw new FirebreakError('runbook_unknown', `runbook "${incident.kind}" is no longer loaded`);

  if (!incident.channel) {
    const channel = await options.channel.createChannel(incident);
    await deps.store.patch(incidentId, { channel });
    incident = await load();
    log.info({ channel: channel.name }, 'incident channel created');
  }
  const channelId = incident.channel?.id as string;
  if (!incident.progress.invited) {
    const people = [...new Set([incident.openedBy, ...options.responders])];
    await options.channel.invite(channelId, people);
    incident = await markProgress(deps, incident, 'invited');
  }
  // A retry after a failure between recording an entry and marking its step done must not record it
  // (and so post it) twice: the timeline itself says what is already there.
  const recorded = async (match: (entry: TimelineEntry) => boolean) =>
    (await deps.store.readTimeline(incidentId)).some(match);
  if (!incident.headerTs) {
    const headerTs = await options.channel.postHeader(incident);
    await deps.store.patch(incidentId, { headerTs });
    incident = await load();
  }
  if (!(await recorded((e) => e.type === 'incident.opened'))) {
    await deps.timeline.record(
      incidentId,
      { type: 'incident.opened', summary: incident.summary },
      incident.openedBy,
    );
  }
  if (options.announce && !incident.progress.announced) {
    await options.channel.announce(incident);
    incident = await markProgress(deps, incident, 'announced');
  }
  if (!incident.progress.diagnosed) {
    if (!(await recorded((e) => e.type === 'diagnosis.completed'))) {
      const diagnosis = await runDiagnosis(runbook, {
        vars: deps.vars,
        allowedPrograms: deps.allowedPrograms,
        ...(deps.procRoot === undefined ? {} : { procRoot: deps.procRoot }),
      });
      await deps.store.saveDiagnosis(incidentId, diagnosis);
      await deps.timeline.record(incidentId, { type: 'diagnosis.completed' });
    }
    incident = await markProgress(deps, incident, 'diagnosed');
  }
  if (!incident.progress.offered) {
    const states: ActionState[] = runbook.actions.map((a) => ({
      actionId: a.id,
      groupId: a.group,
      status: 'offered',
    }));
    await deps.store.offerActions(incidentId, states);
    // Investigating before the cards go out, so they are rendered with live buttons.
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
      await deps.timeline.record(incidentId, {
        type: 'incident.status',
        from: 'opening',
        to: 'investigating',
      });
    }
    await markProgress(deps, incident, 'offered');
  }
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
