import type { ActionState } from '../../incidents/action-state.js';
import type { Incident } from '../../incidents/incident.js';
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
    '• `/incident resolve` — resolve this incident (in its channel)',
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
