import { describe, expect, it } from 'vitest';
import {
  createApprovalPolicy,
  DEFAULT_POLICY,
  type PeopleDirectory,
  type PolicySettings,
} from '../../../src/incidents/approval-policy.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { describeRefusal } from '../../../src/incidents/refusal.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { renderRefusal } from '../../../src/slack/render/render-refusal.js';
import type { Actor } from '../../../src/timeline/actor.js';

const slack = (id: string): Actor => ({ id, via: 'slack' });
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00002';
const DANA = 'U0DANA0003';
const MALLORY = 'U0MALLORY1';

const incident: Incident = {
  id: '20261125-503-k3f9',
  kind: '503',
  title: 'HTTP 503 error spike',
  summary: '',
  severity: 'critical',
  status: 'investigating',
  openedBy: ALICE,
  openedVia: 'slack',
  openedAt: '2026-11-25T02:00:00.000Z',
  progress: {},
};

const run = { type: 'http', method: 'POST', url: 'http://127.0.0.1:8002/api/admin/x' };

function runbook(extra: Record<string, unknown> = {}, groups?: unknown[]): Runbook {
  return runbookSchema.parse({
    kind: '503',
    title: 'HTTP 503 error spike',
    probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
    groups: groups ?? [
      { id: 'P1', title: 'First' },
      { id: 'P2', title: 'Second', approvers: [DANA] },
    ],
    actions: [
      { id: 'limit', title: 'Rate limit', group: 'P1', run },
      { id: 'restart', title: 'Restart', group: 'P1', destructive: true, run },
      { id: 'scale', title: 'Scale', group: 'P2', run },
      { id: 'pinned', title: 'Pinned', group: 'P2', approvers: [{ group: 'S0SRELEAD1' }], approvals: 3, run },
    ],
    ...extra,
  });
}

const settings = (over: Partial<PolicySettings> = {}): PolicySettings => ({ ...DEFAULT_POLICY, ...over });
const actionOf = (rb: Runbook, id: string) => {
  const found = rb.actions.find((a) => a.id === id);
  if (!found) throw new Error(id);
  return found;
};
/** A directory as a surface implements it, from plain data: a group that fails says why. */
const directory = (groups: Record<string, string[] | string>): PeopleDirectory => ({
  async membersOf(id) {
    const g = groups[id];
    if (g === undefined) return { ok: false, reason: 'no such user group' };
    return typeof g === 'string' ? { ok: false, reason: g } : { ok: true, members: g };
  },
});

describe('the approval policy', () => {
  it('lets anyone decide when nobody is configured anywhere', async () => {
    const policy = createApprovalPolicy();
    const rb = runbook();
    for (const decision of ['approve', 'skip', 'cancel', 'resolve', 'force-resolve'] as const) {
      expect(await policy.authorize(slack(MALLORY), decision, incident, rb, actionOf(rb, 'limit'))).toEqual({
        allowed: true,
      });
    }
  });

  it('lets INCIDENT_APPROVERS decide, and refuses anyone else saying whom to ask', async () => {
    const policy = createApprovalPolicy(settings({ approvers: { users: [ALICE, BOB], groups: [] } }));
    const rb = runbook();
    expect(await policy.authorize(slack(BOB), 'approve', incident, rb, actionOf(rb, 'limit'))).toEqual({
      allowed: true,
    });
    const decision = await policy.authorize(slack(MALLORY), 'skip', incident, rb, actionOf(rb, 'limit'));
    expect(decision).toEqual({
      allowed: false,
      refusal: {
        code: 'not-approver',
        actor: slack(MALLORY),
        decision: 'skip',
        approvers: { users: [ALICE, BOB], groups: [] },
      },
    });
    if (decision.allowed) throw new Error('allowed');
    expect(describeRefusal(decision.refusal)).toBe(
      `you are not an approver for this: only ${ALICE}, ${BOB} may skip it`,
    );
    // Slack renders whom to ask as mentions; the core keeps plain ids.
    expect(renderRefusal(decision.refusal)).toContain(`<@${ALICE}>, <@${BOB}>`);
    expect(describeRefusal(decision.refusal)).not.toContain('<@');
  });

  it('takes the most specific list: the action, then its group, then the runbook, then the environment', async () => {
    const rb = runbook({ policy: { approvers: [BOB] } });
    const policy = createApprovalPolicy(settings({ approvers: { users: [ALICE], groups: [] } }));
    policy.useDirectory(directory({ S0SRELEAD1: [MALLORY] }));
    const allowed = async (who: string, id: string) =>
      (await policy.authorize(slack(who), 'approve', incident, rb, actionOf(rb, id))).allowed;
    expect([await allowed(BOB, 'limit'), await allowed(ALICE, 'limit')]).toEqual([true, false]);
    expect([await allowed(DANA, 'scale'), await allowed(BOB, 'scale')]).toEqual([true, false]);
    expect([await allowed(MALLORY, 'pinned'), await allowed(DANA, 'pinned')]).toEqual([true, false]);
    // Force-resolve is the runbook's: its approvers, not a group's or an action's.
    expect((await policy.authorize(slack(BOB), 'force-resolve', incident, rb)).allowed).toBe(true);
    expect((await policy.authorize(slack(DANA), 'force-resolve', incident, rb)).allowed).toBe(false);
  });

  it('lets the requester resolve their own incident, but force-resolve only as an approver', async () => {
    const policy = createApprovalPolicy(settings({ approvers: { users: [BOB], groups: [] } }));
    const rb = runbook();
    expect((await policy.authorize(slack(ALICE), 'resolve', incident, rb)).allowed).toBe(true);
    expect((await policy.authorize(slack(ALICE), 'force-resolve', incident, rb)).allowed).toBe(false);
    expect((await policy.authorize(slack(MALLORY), 'resolve', incident, rb)).allowed).toBe(false);
  });

  it('reads group membership through the directory, and says which group it could not read', async () => {
    const policy = createApprovalPolicy(
      settings({ approvers: { users: [], groups: ['S0ONCALL01', 'S0BROKEN01'] } }),
    );
    const rb = runbook();
    // Before a surface attaches its directory, no group can grant anything.
    const early = await policy.authorize(slack(DANA), 'approve', incident, rb, actionOf(rb, 'limit'));
    expect(early.allowed).toBe(false);
    policy.useDirectory(
      directory({ S0ONCALL01: [DANA], S0BROKEN01: 'the app lacks the usergroups:read scope' }),
    );
    expect(
      (await policy.authorize(slack(DANA), 'approve', incident, rb, actionOf(rb, 'limit'))).allowed,
    ).toBe(true);
    const refused = await policy.authorize(slack(MALLORY), 'approve', incident, rb, actionOf(rb, 'limit'));
    expect(refused).toMatchObject({
      allowed: false,
      refusal: { unreadable: ['S0BROKEN01 (the app lacks the usergroups:read scope)'] },
    });
    if (refused.allowed) throw new Error('allowed');
    expect(renderRefusal(refused.refusal)).toContain('<!subteam^S0ONCALL01>');
  });

  it('does not take a similar id for an approver', async () => {
    const policy = createApprovalPolicy(settings({ approvers: { users: [ALICE], groups: [] } }));
    const rb = runbook();
    for (const id of ['u0alice001', 'U0ALICE0011', '']) {
      expect(
        (await policy.authorize(slack(id), 'approve', incident, rb, actionOf(rb, 'limit'))).allowed,
      ).toBe(false);
    }
  });

  it('asks two different people for a destructive action, and never the requester alone', () => {
    const rb = runbook();
    const policy = createApprovalPolicy();
    expect(policy.requirement(incident, rb, actionOf(rb, 'limit'))).toEqual({
      approvers: { users: [], groups: [] },
      approvals: 1,
    });
    expect(policy.requirement(incident, rb, actionOf(rb, 'restart'))).toMatchObject({
      approvals: 2,
      otherThan: ALICE,
    });
    expect(policy.requirement(incident, rb, actionOf(rb, 'pinned')).approvals).toBe(3);
    // The runbook's own defaults, then the environment's.
    const relaxed = runbook({ policy: { destructive: { approvals: 1, requesterRule: false } } });
    expect(policy.requirement(incident, relaxed, actionOf(relaxed, 'restart'))).toEqual({
      approvers: { users: [], groups: [] },
      approvals: 1,
    });
    const solo = createApprovalPolicy(settings({ destructiveApprovals: 1 }));
    expect(solo.requirement(incident, rb, actionOf(rb, 'restart'))).toMatchObject({
      approvals: 1,
      otherThan: ALICE,
    });
    // An alert that opened the incident is nobody to exclude.
    const alerted = { ...incident, openedBy: 'HTTP503ErrorSpike', openedVia: 'alertmanager' as const };
    expect(policy.requirement(alerted, rb, actionOf(rb, 'restart')).otherThan).toBeUndefined();
  });
});
