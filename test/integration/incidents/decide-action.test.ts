import { afterEach, describe, expect, inject, it } from 'vitest';
import { actionJobId } from '../../../src/incidents/action-state.js';
import {
  approveAction,
  type DecisionResult,
  requeueApproved,
  skipAction,
} from '../../../src/incidents/decide-action.js';
import { describeRefusal } from '../../../src/incidents/refusal.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { ALICE, allJobs, BOB, createFixture, type Fixture, MALLORY, slackUser } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

async function setup(options: { approvers?: string[] } = {}) {
  f = await createFixture(inject('redisUrl'), options);
  return { f, incident: await f.seedIncident() };
}

/** The plain-text reason of a refusal ('' otherwise): what a surface without rich text says. */
const why = (result: DecisionResult) => (result.kind === 'refused' ? describeRefusal(result.refusal) : '');

const jobIds = async () => (await allJobs(f.actionQueue)).map((j) => j.id).sort();
const timelineTypes = async (id: string) =>
  (await f.store.readTimeline(id)).map(
    (e) => `${e.type}${'status' in e ? `:${e.status}` : ''}${'to' in e ? `:${e.to}` : ''}`,
  );

describe('approveAction', () => {
  it('records who approved, queues one job under a deterministic id, and moves the incident to mitigating', async () => {
    const { incident } = await setup();
    const result = await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }));
    const jobId = actionJobId(incident.id, 'act', 1);
    expect(result).toMatchObject({
      kind: 'approved',
      jobId,
      state: { status: 'queued', attempt: 1, decidedBy: BOB },
    });
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({
      status: 'queued',
      attempt: 1,
      decidedBy: BOB,
      jobId,
      decidedAt: expect.any(String),
    });
    const jobs = await allJobs(f.actionQueue);
    expect(jobs.map((j) => [j.id, j.data])).toEqual([
      [jobId, { incidentId: incident.id, actionId: 'act', approvedBy: BOB, attempt: 1 }],
    ]);
    expect((await f.store.get(incident.id))?.status).toBe('mitigating');
    expect(await timelineTypes(incident.id)).toEqual(['action.decided:queued', 'incident.status:mitigating']);
    const decided = (await f.store.readTimeline(incident.id))[0];
    expect(decided?.actor).toBe(BOB);
  });

  it('queues one job for two clicks, and tells the second who decided', async () => {
    const { incident } = await setup();
    const first = await approveAction(f.deps, f.request(incident.id, 'act'));
    const second = await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }));
    expect(first.kind).toBe('approved');
    expect(second).toMatchObject({ kind: 'already-decided', state: { status: 'queued', decidedBy: ALICE } });
    expect(await jobIds()).toEqual([actionJobId(incident.id, 'act', 1)]);
    expect((await timelineTypes(incident.id)).filter((t) => t.startsWith('action.decided'))).toHaveLength(1);
  });

  it('queues again an approval whose job was lost when the user clicks again, still once', async () => {
    const { incident } = await setup();
    await approveAction(f.deps, f.request(incident.id, 'act'));
    // Redis dropped between recording the approval and queuing it; the user was told to try again.
    await f.actionQueue.obliterate({ force: true });
    const retry = await approveAction(f.deps, f.request(incident.id, 'act'));
    expect(retry).toMatchObject({ kind: 'already-decided', state: { status: 'queued', decidedBy: ALICE } });
    await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }));
    const jobs = await allJobs(f.actionQueue);
    expect(jobs.map((j) => [j.id, j.data.approvedBy])).toEqual([[actionJobId(incident.id, 'act', 1), ALICE]]);
  });

  it('lets one of 20 concurrent clicks approve; the rest change nothing', async () => {
    const { incident } = await setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(i % 2 ? ALICE : BOB) })),
      ),
    );
    expect(results.filter((r) => r.kind === 'approved')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'already-decided')).toHaveLength(19);
    expect(await jobIds()).toEqual([actionJobId(incident.id, 'act', 1)]);
    expect((await timelineTypes(incident.id)).filter((t) => t.startsWith('action.decided'))).toHaveLength(1);
    expect((await timelineTypes(incident.id)).filter((t) => t === 'incident.status:mitigating')).toHaveLength(
      1,
    );
  });

  it('refuses someone who is not an approver: nothing decided, nothing queued, the refusal recorded', async () => {
    const { incident } = await setup({ approvers: [ALICE] });
    const result = await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(MALLORY) }));
    expect(result).toMatchObject({
      kind: 'refused',
      refusal: { code: 'not-approver', approvers: { users: [ALICE], groups: [] } },
    });
    expect(why(result)).toContain('not an approver');
    expect(await f.store.getAction(incident.id, 'act')).toEqual({
      actionId: 'act',
      groupId: 'P1',
      status: 'offered',
    });
    expect(await jobIds()).toEqual([]);
    // The refused click is itself a fact of the incident: who, what, why.
    expect(await f.store.readTimeline(incident.id)).toMatchObject([
      {
        type: 'decision.refused',
        actor: MALLORY,
        decision: 'approve',
        actionId: 'act',
        code: 'not-approver',
        reason: `you are not an approver for this: only ${ALICE} may approve it`,
        ask: { users: [ALICE], groups: [] },
      },
    ]);
    // An approver still can.
    expect(
      (await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(ALICE) }))).kind,
    ).toBe('approved');
  });

  it('tells a repeated refusal once in the timeline, but answers every click', async () => {
    const { incident } = await setup({ approvers: [ALICE] });
    const mallory = (actionId: string) => f.request(incident.id, actionId, { actor: slackUser(MALLORY) });
    const clicks = await Promise.all(Array.from({ length: 20 }, () => approveAction(f.deps, mallory('act'))));
    expect(clicks.every((r) => r.kind === 'refused')).toBe(true);
    // Another action, or another person, is another fact.
    await approveAction(f.deps, mallory('flaky'));
    await approveAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }));
    const refused = (await f.store.readTimeline(incident.id)).filter((e) => e.type === 'decision.refused');
    expect(refused.map((e) => `${e.actor}:${'actionId' in e ? e.actionId : ''}`)).toEqual([
      `${MALLORY}:act`,
      `${MALLORY}:flaky`,
      `${BOB}:act`,
    ]);
  });

  it('refuses once the incident is resolved', async () => {
    const { incident } = await setup();
    await resolveIncident(f.deps, incident.id, slackUser(BOB));
    const result = await approveAction(f.deps, f.request(incident.id, 'act'));
    expect(result).toMatchObject({
      kind: 'refused',
      refusal: { code: 'incident-closed', status: 'resolved' },
    });
    expect(why(result)).toContain('resolved');
    expect(await jobIds()).toEqual([]);
  });

  it('refuses an incident or an action it does not know', async () => {
    const { incident } = await setup();
    const unknownIncident = await approveAction(f.deps, f.request('20261125-test-none', 'act'));
    expect(unknownIncident).toMatchObject({ kind: 'refused', refusal: { code: 'incident-unknown' } });
    expect(why(unknownIncident)).toContain('does not exist');
    const unknownAction = await approveAction(f.deps, f.request(incident.id, 'rm-rf'));
    expect(unknownAction).toMatchObject({ kind: 'refused', refusal: { code: 'action-unknown' } });
    expect(why(unknownAction)).toContain('not in the test runbook');
    expect(await jobIds()).toEqual([]);
  });

  it('approves a failed action again as attempt 2, from a copy of the card that showed attempt 1', async () => {
    const { incident } = await setup();
    await approveAction(f.deps, f.request(incident.id, 'act'));
    await f.store.transitionAction(incident.id, 'act', ['queued'], { status: 'running' });
    await f.store.transitionAction(incident.id, 'act', ['running'], {
      status: 'failed',
      summary: 'HTTP 500',
    });

    // The card still showing the first Approve (seen 0) is stale.
    const stale = await approveAction(f.deps, f.request(incident.id, 'act', { seenAttempts: 0 }));
    expect(stale).toMatchObject({ kind: 'already-decided', state: { status: 'failed', attempt: 1 } });

    const again = await approveAction(
      f.deps,
      f.request(incident.id, 'act', { seenAttempts: 1, actor: slackUser(BOB) }),
    );
    expect(again).toMatchObject({ kind: 'approved', jobId: actionJobId(incident.id, 'act', 2) });
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({
      status: 'queued',
      attempt: 2,
      decidedBy: BOB,
      jobId: actionJobId(incident.id, 'act', 2),
    });
    expect(await jobIds()).toEqual(
      [actionJobId(incident.id, 'act', 1), actionJobId(incident.id, 'act', 2)].sort(),
    );
  });
});

describe('skipAction', () => {
  // Changed on purpose (issue 16): skipping used to need no approver, so anyone in the channel could
  // drop a P1 action. Skipping is a decision not to act: it needs the authority to approve.
  it('refuses a skip from someone who may not approve, and records it', async () => {
    const { incident } = await setup({ approvers: [ALICE] });
    const refused = await skipAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }));
    expect(refused).toMatchObject({ kind: 'refused', refusal: { code: 'not-approver', decision: 'skip' } });
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({ status: 'offered' });
    expect(await timelineTypes(incident.id)).toEqual(['decision.refused']);
  });

  it('records the skip; a later approve or skip changes nothing', async () => {
    const { incident } = await setup({ approvers: [ALICE] });
    const skipped = await skipAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(ALICE) }));
    expect(skipped).toMatchObject({ kind: 'skipped', state: { status: 'skipped', decidedBy: ALICE } });
    expect(await approveAction(f.deps, f.request(incident.id, 'act'))).toMatchObject({
      kind: 'already-decided',
      state: { status: 'skipped' },
    });
    expect(await skipAction(f.deps, f.request(incident.id, 'act'))).toMatchObject({
      kind: 'already-decided',
    });
    expect(await jobIds()).toEqual([]);
    expect(await timelineTypes(incident.id)).toEqual(['action.decided:skipped']);
    expect((await f.store.get(incident.id))?.status).toBe('investigating');
  });

  // That a click comes from the incident's own channel is Slack's rule: test/e2e/incident-buttons.test.ts.
  it('cannot skip an approved action', async () => {
    const { incident } = await setup();
    await approveAction(f.deps, f.request(incident.id, 'act'));
    expect(await skipAction(f.deps, f.request(incident.id, 'act', { actor: slackUser(BOB) }))).toMatchObject({
      kind: 'already-decided',
      state: { status: 'queued', decidedBy: ALICE },
    });
  });
});

describe('requeueApproved', () => {
  it('re-adds the job of an approval whose job was lost, once however often it runs', async () => {
    const { incident } = await setup();
    await approveAction(f.deps, f.request(incident.id, 'act'));
    // Redis lost the job (or the bot died between recording the approval and queuing it).
    await f.actionQueue.obliterate({ force: true });
    expect(await jobIds()).toEqual([]);

    expect(await requeueApproved(f.deps)).toBe(1);
    expect(await requeueApproved(f.deps)).toBe(1);
    const jobs = await allJobs(f.actionQueue);
    expect(jobs.map((j) => [j.id, j.data])).toEqual([
      [
        actionJobId(incident.id, 'act', 1),
        { incidentId: incident.id, actionId: 'act', approvedBy: ALICE, attempt: 1 },
      ],
    ]);
  });

  it('leaves offered, skipped, running and finished actions, and resolved incidents, alone', async () => {
    const { incident } = await setup();
    await skipAction(f.deps, f.request(incident.id, 'act'));
    await approveAction(f.deps, f.request(incident.id, 'flaky'));
    await f.store.transitionAction(incident.id, 'flaky', ['queued'], { status: 'running' });
    const other = await f.seedIncident({ id: '20261125-test-done' });
    await approveAction(f.deps, f.request(other.id, 'act'));
    // Closed with its action still queued (resolve refuses that now; an opening that gave up does not ask).
    await f.store.transitionStatus(other.id, ['mitigating'], 'resolved');
    await f.actionQueue.obliterate({ force: true });
    expect(await requeueApproved(f.deps)).toBe(0);
    expect(await jobIds()).toEqual([]);
  });
});
