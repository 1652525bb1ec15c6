import type { Action } from '../runbooks/runbook-schema.js';
import type { Incident } from './incident.js';

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/** Who may approve what. Today: an allow-list of approvers; per-action rules and a second approver come next. */
export interface ApprovalPolicy {
  check(userId: string, incident: Incident, action: Action): PolicyDecision;
}

/** INCIDENT_APPROVERS: an empty list lets anyone in the incident channel approve. */
export function createApprovalPolicy(approvers: readonly string[]): ApprovalPolicy {
  const allowed = new Set(approvers);
  return {
    check(userId) {
      if (allowed.size === 0 || allowed.has(userId)) return { allowed: true };
      return {
        allowed: false,
        reason: `you are not an approver for incidents (INCIDENT_APPROVERS): ask ${[...allowed].map((u) => `<@${u}>`).join(', ')}`,
      };
    },
  };
}
