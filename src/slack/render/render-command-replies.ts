import type { ActionState } from '../../incidents/action-state.js';
import type { Incident } from '../../incidents/incident.js';
import type { ResolveResult } from '../../incidents/resolve-incident.js';
import { escapeMrkdwn } from './blocks.js';
import { renderActor } from './render-actor.js';
import { statusBadge } from './render-header.js';
import { renderRefusal } from './render-refusal.js';

type Channel = { id: string; name: string };

function incidentLine(incident: Incident, channel: Channel | undefined): string {
  const where = channel ? `<#${channel.id}>` : '(channel not created yet)';
  return `• *${incident.id}* ${escapeMrkdwn(incident.title)} — ${statusBadge[incident.status]} · ${where} · opened by ${renderActor(incident.openedBy, incident.openedVia)}`;
}

/** `channels`: each incident's Slack channel, from the ledger (none yet while opening). */
export function renderIncidentList(
  incidents: readonly Incident[],
  heading: string,
  channels: ReadonlyMap<string, Channel>,
): string {
  if (incidents.length === 0) return `${heading}: none.`;
  return [`*${heading}*`, ...incidents.map((i) => incidentLine(i, channels.get(i.id)))].join('\n');
}

export function renderIncidentStatus(
  incident: Incident,
  actions: readonly ActionState[],
  channel: Channel | undefined,
): string {
  const count = (s: ActionState['status']) => actions.filter((a) => a.status === s).length;
  return [
    incidentLine(incident, channel),
    `Actions: ${count('succeeded')} succeeded, ${count('failed')} failed, ${count('running') + count('queued')} in progress, ` +
      `${count('skipped')} skipped${count('cancelled') > 0 ? `, ${count('cancelled')} cancelled` : ''}, ${count('offered')} awaiting a decision`,
  ].join('\n');
}

/** The answer to `/incident resolve`: done, refused, or the mitigations whose undo is still pending. */
export function renderResolveAnswer(incidentId: string, result: ResolveResult): string {
  switch (result.kind) {
    case 'resolved':
      return result.stillApplied.length > 0
        ? `Incident *${incidentId}* resolved, with ${result.stillApplied.length} mitigation(s) still in place (noted in the timeline).`
        : `Incident *${incidentId}* resolved.`;
    case 'refused':
      return `:warning: ${renderRefusal(result.refusal)}.`;
    case 'mitigations-in-place':
      return [
        `:warning: Not resolved yet: ${result.stillApplied.length} mitigation(s) are still in place, and resolving closes their undo buttons.`,
        ...result.stillApplied.map(
          (m) => `• *${escapeMrkdwn(m.title)}* — undo: *${escapeMrkdwn(m.undoTitle)}*`,
        ),
        'Approve the undo actions in the *after recovery* card first, or run `/incident resolve force` to resolve with them in place.',
      ].join('\n');
    case 'checks-not-green':
      return [
        `:warning: Not resolved yet: ${result.checks.length} recovery check(s) are not green.`,
        ...result.checks.map((c) => `• *${escapeMrkdwn(c.title)}* — ${c.state.replace('-', ' ')}`),
        'Run `/incident verify` to check again, or resolve anyway with a reason, which is recorded: `/incident resolve <reason>`.',
      ].join('\n');
  }
}
