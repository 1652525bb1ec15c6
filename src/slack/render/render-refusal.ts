import { describeRefusal, type Refusal } from '../../incidents/refusal.js';
import { escapeMrkdwn } from './blocks.js';
import { renderActor } from './render-actor.js';

/** A core refusal as the clicker reads it in Slack: whom to ask is a list of mentions. */
export function renderRefusal(refusal: Refusal): string {
  if (refusal.code === 'not-approver') {
    const ask = refusal.approvers.map((id) => renderActor(id, 'slack')).join(', ');
    return `you are not an approver for incidents (INCIDENT_APPROVERS): ask ${ask}`;
  }
  if (refusal.code === 'open-limited') {
    return `${escapeMrkdwn(describeRefusal(refusal))} (\`/incident list\` shows the open ones)`;
  }
  return escapeMrkdwn(describeRefusal(refusal));
}
