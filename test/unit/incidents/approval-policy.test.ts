import { describe, expect, it } from 'vitest';
import { createApprovalPolicy } from '../../../src/incidents/approval-policy.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { describeRefusal } from '../../../src/incidents/refusal.js';
import { type Action, actionSchema } from '../../../src/runbooks/runbook-schema.js';
import { renderRefusal } from '../../../src/slack/render/render-refusal.js';
import type { Actor } from '../../../src/timeline/actor.js';

const slack = (id: string): Actor => ({ id, via: 'slack' });

const incident: Incident = {
  id: '20261125-503-k3f9',
  kind: '503',
  title: 'HTTP 503 error spike',
  summary: '',
  severity: 'critical',
  status: 'investigating',
  openedBy: 'U0ALICE001',
  openedVia: 'slack',
  openedAt: '2026-11-25T02:00:00.000Z',
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
    expect(policy.check(slack('U0ANYONE01'), incident, action)).toEqual({ allowed: true });
  });

  it('lets a listed approver approve', () => {
    const policy = createApprovalPolicy(['U0ALICE001', 'U0BOB00002']);
    expect(policy.check(slack('U0BOB00002'), incident, action)).toEqual({ allowed: true });
  });

  it('refuses anyone else, and says whom to ask', () => {
    const policy = createApprovalPolicy(['U0ALICE001', 'U0BOB00002']);
    const decision = policy.check(slack('U0MALLORY1'), incident, action);
    expect(decision).toEqual({
      allowed: false,
      refusal: { code: 'not-approver', actor: slack('U0MALLORY1'), approvers: ['U0ALICE001', 'U0BOB00002'] },
    });
    if (decision.allowed) throw new Error('allowed');
    expect(describeRefusal(decision.refusal)).toContain('INCIDENT_APPROVERS');
    // Slack renders whom to ask as mentions; the core keeps plain ids.
    expect(renderRefusal(decision.refusal)).toContain('<@U0ALICE001>, <@U0BOB00002>');
    expect(describeRefusal(decision.refusal)).not.toContain('<@');
  });

  it('does not take a similar id for an approver', () => {
    const policy = createApprovalPolicy(['U0ALICE001']);
    expect(policy.check(slack('u0alice001'), incident, action).allowed).toBe(false);
    expect(policy.check(slack('U0ALICE0011'), incident, action).allowed).toBe(false);
    expect(policy.check(slack(''), incident, action).allowed).toBe(false);
  });
});
