import { describeRefusal, type Refusal } from '../../incidents/refusal.js';
import { escapeMrkdwn } from './blocks.js';
import { renderPeople } from './render-people.js';

/** A core refusal as the clicker reads it in Slack: whom to ask is a list of mentions. */
export function renderRefusal(refusal: Refusal): string {
  switch (refusal.code) {
    case 'not-approver': {
      const unread = refusal.unreadable?.length
        ? ` (could not read ${escapeMrkdwn(refusal.unreadable.join(', '))})`
        : '';
      return `you are not an approver for this: ask ${renderPeople(refusal.approvers)}${unread}`;
    }
    case 'guard-failed':
      return `its guard is *${refusal.met === false ? 'not met' : 'unknown'}* on fresh values: ${escapeMrkdwn(refusal.evidence.join('; '))}`;
    default:
      return escapeMrkdwn(describeRefusal(refusal));
  }
}
