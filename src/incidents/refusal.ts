import type { Actor } from '../timeline/actor.js';
import type { People } from '../timeline/people.js';
import type { PolicyDecisionKind } from './action-rules.js';
import type { ActionStatus } from './action-state.js';
import type { IncidentStatus } from './incident.js';

/**
 * Why the core would not do what was asked: structured facts, never a surface's wire format. Each
 * surface renders them (Slack: mentions and mrkdwn, `src/slack/render/render-refusal.ts`);
 * {@link describeRefusal} is the plain-text rendering for logs, the timeline and the CLI.
 */
export type Refusal =
  | { code: 'incident-unknown'; incidentId: string }
  | { code: 'incident-closed'; incidentId: string; status: IncidentStatus }
  | { code: 'action-unknown'; incidentId: string; actionId: string; kind: string }
  /**
   * `approvers` may decide instead (nobody listed: nobody is configured); `unreadable` names the groups
   * whose members could not be read, and why.
   */
  | {
      code: 'not-approver';
      actor: Actor;
      decision: PolicyDecisionKind;
      approvers: People;
      unreadable?: readonly string[];
    }
  /** The action's state does not allow this decision (skipping a failed action, say). */
  | { code: 'not-decidable'; actionId: string; status: ActionStatus }
  /** Its `when:` guard is not met on a fresh run of its probes (or could not be decided). */
  | { code: 'guard-failed'; actionId: string; met: false | 'unknown'; evidence: readonly string[] }
  /** "Approve anyway" without saying why. */
  | { code: 'override-needs-reason'; actionId: string }
  /** An undo whose action has not succeeded: there is nothing to undo yet. */
  | { code: 'nothing-to-undo'; actionId: string; undoes: readonly string[] }
  /** Resolving while actions are queued or running would lock their undo away. */
  | {
      code: 'actions-in-flight';
      incidentId: string;
      actions: ReadonlyArray<{ actionId: string; title: string; status: ActionStatus }>;
    };

export type RefusalCode = Refusal['code'];

const doing: Record<PolicyDecisionKind, string> = {
  approve: 'approve',
  skip: 'skip',
  cancel: 'cancel',
  resolve: 'resolve',
  'force-resolve': 'force-resolve',
};

/** `U1, U2, group S1`: whom to ask, in plain text. */
export function describePeople(people: People): string {
  return [...people.users, ...people.groups.map((g) => `group ${g}`)].join(', ');
}

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
    case 'not-approver': {
      const unread = refusal.unreadable?.length ? ` (could not read ${refusal.unreadable.join(', ')})` : '';
      return `you are not an approver for this: only ${describePeople(refusal.approvers)} may ${doing[refusal.decision]} it${unread}`;
    }
    case 'not-decidable':
      return `action "${refusal.actionId}" is ${refusal.status}: that decision is not open`;
    case 'guard-failed':
      return `its guard is ${refusal.met === false ? 'not met' : 'unknown'} on fresh values (${refusal.evidence.join('; ')}): approve anyway with a reason if it must run`;
    case 'override-needs-reason':
      return 'approving anyway needs a reason, recorded in the timeline';
    case 'nothing-to-undo':
      return `nothing to undo yet: ${refusal.undoes.join(', ')} has not succeeded`;
    case 'actions-in-flight':
      return `actions are still queued or running (${refusal.actions.map((a) => `${a.title}: ${a.status}`).join('; ')}): wait for them or cancel them, then resolve`;
  }
}
