import type { Incident } from '../../incidents/incident.js';
import { escapeMrkdwn, slackDate } from './blocks.js';

/**
 * The answer to `/incident <kind>` while an alert's incident of that kind is open: where it is, and
 * how to open a second one on purpose. Nothing was opened.
 */
export function renderOpenPointer(incident: Incident, channel: { id: string } | undefined): string {
  const where = channel ? `: join <#${channel.id}>` : ' (its channel is being created)';
  const alert = escapeMrkdwn(incident.alert?.name ?? incident.openedBy);
  return [
    `:point_right: Alert *${alert}* already opened incident *${incident.id}* (${escapeMrkdwn(incident.title)}) at ${slackDate(incident.openedAt)}${where}. No second incident was opened.`,
    `To open another one on purpose: \`/incident ${incident.kind} new [summary]\`.`,
  ].join('\n');
}
