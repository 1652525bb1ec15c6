import type { ActionState } from '../../incidents/action-state.js';
import type { Incident } from '../../incidents/incident.js';
import type { ResolveResult } from '../../incidents/resolve-incident.js';
import { escapeMrkdwn } from './blocks.js';
import { statusBadge } from './render-header.js';

/** `/incident help` and the answer to anything it does not understand. */
export function renderUsage(kinds: readonly string[], problem?: string): string {
  const lines = [
    ...(problem ? [`:warning: ${problem}`, ''] : []),
    '*Usage*',
    `• \`/incident <kind> [summary]\` — open an incident (kinds: ${kinds.map((k) => `\`${k}\``).join(', ')})`,
    '• `/incident status` — this incident (in its channel) or the open ones',
    '• `/incident list` — recent incidents',
    '• `/incident resolve [force]` — resolve this incident (in its channel); `force` even with mitigations still in place',
    '• `/incident help` — this message',
  ];
  return lines.join('\n');
}

function incidentLine(incident: Incident): string {
  const where = incident.channel ? `<#${incident.channel.id}>` : '(channel not created yet)';
  return `• *${incident.id}* ${escapeMrkdwn(incident.title)} — ${statusBadge[incident.status]} · ${where} · opened by <@${incident.openedBy}>`;
}

export function renderIncidentList(incidents: readonly Incident[], heading: string): string {
  if (incidents.length === 0) return `${heading}: none.`;
  return [`*${heading}*`, ...incidents.map(incidentLine)].join('\n');
}

export function renderIncidentStatus(incident: Incident, actions: readonly ActionState[]): string {
  const count = (s: ActionState['status']) => actions.filter((a) => a.status === s).length;
  return [
    incidentLine(incident),
    `Actions: ${count('succeeded')} succeeded, ${count('failed')} failed, ${count('running') + count('queued')} in progress, ` +
      `${count('skipped')} skipped, ${count('offered')} awaiting a decision`,
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
      return `:warning: ${result.reason}.`;
    case 'mitigations-in-place':
      return [
        `:warning: Not resolved yet: ${result.stillApplied.length} mitigation(s) are still in place, and resolving closes their undo buttons.`,
        ...result.stillApplied.map(
          (m) => `• *${escapeMrkdwn(m.title)}* — undo: *${escapeMrkdwn(m.undoTitle)}*`,
        ),
        'Approve the undo actions in the *after recovery* card first, or run `/incident resolve force` to resolve with them in place.',
      ].join('\n');
  }
}
