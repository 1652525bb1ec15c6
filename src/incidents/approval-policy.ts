import type { Action } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import type { Incident } from './incident.js';
import type { Refusal } from './refusal.js';

export type PolicyDecision = { allowed: true } | { allowed: false; refusal: Refusal };

/**
 * Who may decide what, checked by the core for every surface. Today: an allow-list of approvers;
 * per-action rules and a second approver come next.
 */
export interface ApprovalPolicy {
  check(actor: Actor, incident: Incident, action: Action): PolicyDecision;
}

/** INCIDENT_APPROVERS: an empty list lets anyone in the incident channel approve. */
export function createApprovalPolicy(approvers: readonly string[]): ApprovalPolicy {
  const allowed = new Set(approvers);
  return {
    check(actor) {
      if (allowed.size === 0 || allowed.has(actor.id)) return { allowed: true };
      return { allowed: false, refusal: { code: 'not-approver', actor, approvers: [...allowed] } };
    },
  };
}
