import type { Incident } from '../../incidents/incident.js';
import { escapeMrkdwn } from './blocks.js';
import { renderActor } from './render-actor.js';
import { renderAlertFacts } from './render-header.js';

/**
 * The announcement of a new incident in INCIDENT_ANNOUNCE_CHANNEL. One an alert opened also says what
 * the alert said: its name linked to the rule's graph, its summary and its labels.
 */
export function renderAnnouncement(incident: Incident, channelId: string): string {
  const opened =
    `${incident.dryRun ? ':test_tube: DRY RUN — ' : ':rotating_light: '}Incident *${incident.id}* opened by ${renderActor(incident.openedBy, incident.openedVia)}: ${escapeMrkdwn(incident.title)}` +
    `${incident.summary ? ` — ${escapeMrkdwn(incident.summary)}` : ''}. Join <#${channelId}>.`;
  return incident.openedVia === 'alertmanager' && incident.alert
    ? `${opened}\n${renderAlertFacts(incident.alert, incident.summary)}`
    : opened;
}

/**
 * The first message in the channel of an incident an alert opened, mentioning the responders: nobody
 * typed a command, so nobody is watching for it yet. Posted once, where they will work it (the
 * announcement does not mention them too: one ping each).
 */
export function renderResponderPage(incident: Incident, responders: readonly string[]): string {
  const mentions = responders.map((id) => `<@${id}>`).join(' ');
  const alert = escapeMrkdwn(incident.alert?.name ?? incident.openedBy);
  return `${mentions} — alert *${alert}* opened this incident. The diagnostic snapshot and the actions follow in the thread of the header.`;
}
