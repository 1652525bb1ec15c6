import { describe, expect, it } from 'vitest';
import { createApprovalPolicy } from '../../../src/incidents/approval-policy.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { type Action, actionSchema } from '../../../src/runbooks/runbook-schema.js';

const incident: Incident = {
  id: '20261125-503-k3f9',
  kind: '503',
  title: 'HTTP 503 error spike',
  summary: '',
  severity: 'critical',
  status: 'investigating',
  openedBy: 'U0ALICE001',
  openedAt: '2026-11-25T02:00:00.000Z',
  origin: { channelId: 'C0GENERAL1' },
  progress: {},
};
const action: Action = actionSchema.parse({
  id: 'p1-emergency-rate-limit',
  title: 'Emergency rate limit',
  group: 'P1',
  run: { type: 'http', method: 'POST', url: 'http://127.0.0.1:8002/api/admin/rate-limit/emergency' },
});

describe('createApprovalPolicy', () => {
  it('lets anyone approve when INCIDENT_APPROVERS is empty', () => {
    const policy = createApprovalPolicy([]);
    expect(policy.check('U0ANYONE01', incident, action)).toEqual({ allowed: true });
  });

  it('lets a listed approver approve', () => {
    const policy = createApprovalPolicy(['U0ALICE001', 'U0BOB00002']);
    expect(policy.check('U0BOB00002', incident, action)).toEqual({ allowed: true });
  });

  it('refuses anyone else, and says whom to ask', () => {
    const policy = createApprovalPolicy(['U0ALICE001', 'U0BOB00002']);
    const decision = policy.check('U0MALLORY1', incident, action);
    expect(decision).toEqual({
      allowed: false,
      reason: expect.stringContaining('INCIDENT_APPROVERS'),
    });
    expect(decision.allowed === false && decision.reason).toContain('<@U0ALICE001>, <@U0BOB00002>');
  });

  it('does not take a similar id for an approver', () => {
    const policy = createApprovalPolicy(['U0ALICE001']);
    expect(policy.check('u0alice001', incident, action).allowed).toBe(false);
    expect(policy.check('U0ALICE0011', incident, action).allowed).toBe(false);
    expect(policy.check('', incident, action).allowed).toBe(false);
  });
});
