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
  | { code: 'not-decidable'; actionId: string; status: ActionStatus }
  /** The request names nobody the record could hold (an empty or malformed id): nothing is done anonymously. */
  | { code: 'actor-unknown'; via: string }
  /** Too many incidents opened lately, by this actor (`scope: 'actor'`) or by everyone (`'all'`). */
  | { code: 'open-limited'; scope: 'actor' | 'all'; limit: number; windowMs: number; retryAfterMs: number };

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
    case 'actor-unknown':
      return `the request through ${refusal.via} names no user Firebreak can record, so nothing was done`;
    case 'open-limited':
      return refusal.scope === 'actor'
        ? `you have opened ${refusal.limit} incidents in the last ${minutes(refusal.windowMs)}, the most one person may (INCIDENT_OPEN_LIMIT_PER_USER); try again in ${minutes(refusal.retryAfterMs)}, or work in an incident already open`
        : `${refusal.limit} incidents were opened in the last ${minutes(refusal.windowMs)}, the most Firebreak opens at once (INCIDENT_OPEN_LIMIT_GLOBAL); try again in ${minutes(refusal.retryAfterMs)}, or join an incident already open`;
  }
}

/** `1 min`, `10 min`, `45 s`: a wait a person reads at a glance (never 0). */
function minutes(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}
