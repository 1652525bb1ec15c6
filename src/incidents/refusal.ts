import type { Actor } from '../timeline/actor.js';
import type { ActionStatus } from './action-state.js';
import type { IncidentStatus } from './incident.js';

/**
 * Why the core would not do what was asked: structured facts, never a surface's wire format. Each
 * surface renders them (Slack: mentions and mrkdwn, `src/slack/render/render-refusal.ts`);
 * {@link describeRefusal} is the plain-text rendering for logs and the CLI.
 */
export type Refusal =
  | { code: 'incident-unknown'; incidentId: string }
  | { code: 'incident-closed'; incidentId: string; status: IncidentStatus }
  | { code: 'action-unknown'; incidentId: string; actionId: string; kind: string }
  /** `approvers` are the actor ids who may decide instead (empty: nobody is configured). */
  | { code: 'not-approver'; actor: Actor; approvers: readonly string[] }
  /** The action's state does not allow this decision (skipping a failed action, say). */
  | { code: 'not-decidable'; actionId: string; status: ActionStatus };

export type RefusalCode = Refusal['code'];

/** One plain sentence per refusal, for logs, the CLI and any surface without richer text. */
export function describeRefusal(refusal: Refusal): string {
  switch (refusal.code) {
    case 'incident-unknown':
      return `incident ${refusal.incidentId} does not exist`;
    case 'incident-closed':
      return refusal.status === 'resolved'
        ? `incident ${refusal.incidentId} is already resolved`
        : `incident ${refusal.incidentId} is ${refusal.status}: its actions are closed`;
    case 'action-unknown':
      return `action "${refusal.actionId}" is not in the ${refusal.kind} runbook any more`;
    case 'not-approver':
      return `you are not an approver for incidents (INCIDENT_APPROVERS): ask ${refusal.approvers.join(', ')}`;
    case 'not-decidable':
      return `action "${refusal.actionId}" is ${refusal.status}: that decision is not open`;
  }
}
