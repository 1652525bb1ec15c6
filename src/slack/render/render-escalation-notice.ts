import type { Incident } from '../../incidents/incident.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../../timeline/timeline-entry.js';
import { escapeMrkdwn, type RenderedMessage, section } from './blocks.js';
import { renderActor } from './render-actor.js';

/** The announce channel's line when a group's actions stay undecided a deadline after their reminder. */
export function renderEscalationNotice(
  incident: Incident,
  runbook: Runbook | undefined,
  entry: Extract<TimelineEntry, { type: 'deadline.escalated' }>,
  channelId: string,
): RenderedMessage {
  const group = runbook?.groups.find((g) => g.id === entry.groupId);
  const what = group ? `${group.id} · ${group.title}` : entry.groupId;
  const text = `:rotating_light: *Escalation* — incident *${incident.id}* (${escapeMrkdwn(incident.title)}) in <#${channelId}>: *${escapeMrkdwn(what)}* has ${entry.actionIds.length} action(s) undecided twice past its ${escapeMrkdwn(entry.deadline)} deadline. Commander ${renderActor(entry.commander.id, entry.commander.via)}.`;
  return { text, blocks: [section(text)] };
}
