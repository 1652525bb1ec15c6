import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ActionJob } from '../../../src/incidents/action-queue.js';
import { ACTION_QUEUE } from '../../../src/incidents/action-queue.js';
import { createActionWorker } from '../../../src/incidents/action-worker.js';
import { approveAction } from '../../../src/incidents/decide-action.js';
import { moveIncident } from '../../../src/incidents/move-incident.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { markActionStalled, runApprovedAction } from '../../../src/incidents/run-approved-action.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { ALICE, BOB, createFixture, type Fixture, slackUser } from './incident-fixture.js';

/** The target: `/act` answers 200, `/flaky` 500 the first time then 200, `/hang` never answers. */
let target: LocalServer;
let flakyCalls = 0;
beforeAll(async () => {
  target = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/hang') return;
    if (path === '/flaky') {
      flakyCalls += 1;
      sendJson(res, flakyCalls === 1 ? 500 : 200, { try: flakyCalls });
      return;
    }
    sendJson(res, 200, { ok: true, path });
  });
});
afterAll(async () => {
  await target.close();
});

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const calls = (path: string) => target.requests.filter((r) => r === path).length;
const signal = () => new AbortController().signal;

async function approved(actionId: string) {
  f = await createFixture(inject('redisUrl'), { vars: { TARGET_URL: target.url } });
  const incident = await f.seedIncident();
  const decision = await approveAction(f.deps, f.request(incident.id, actionId));
  if (decision.kind !== 'approved') throw new Error(`not approved: ${JSON.stringify(decision)}`);
  const job: ActionJob = { incidentId: incident.id, actionId, approvedBy: ALICE, attempt: 1 };
  return { incident, job };
}

const types = async (id: string) => (await f.store.readTimeline(id)).map((e) => e.type);

describe('runApprovedAction', () => {
  it('runs an approved action and records its result', async () => {
    const before = calls('/act');
    const { incident, job } = await approved('act');
    const state = await runApprovedAction(f.runner, job, signal());
    expect(state).toMatchObject({
      status: 'succeeded',
      attempt: 1,
      summary: expect.stringMatching(/^POST 127\.0\.0\.1:\d+\/act → 200 in \d+ ms$/),
      excerpt: '{"ok":true,"path":"/act"}',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(calls('/act') - before).toBe(1);
    expect(await types(incident.id)).toEqual([
      'action.decided',
      'incident.status',
      'action.started',
      'action.finished',
    ]);
  });

  it('runs the step once when the same job is delivered twice, in turn or at once', async () => {
    const before = calls('/act');
    const { incident, job } = await approved('act');
    const first = await runApprovedAction(f.runner, job, signal());
    const second = await runApprovedAction(f.runner, job, signal());
    expect(second).toEqual(first);
    expect(calls('/act') - before).toBe(1);

    const other = await f.seedIncident({ id: '20261125-test-twin' });
    await approveAction(f.deps, f.request(other.id, 'act'));
    const twin = { ...job, incidentId: other.id };
    await Promise.all([
      runApprovedAction(f.runner, twin, signal()),
      runApprovedAction(f.runner, twin, signal()),
    ]);
    expect(calls('/act') - before).toBe(2);
    expect((await types(incident.id)).filter((t) => t === 'action.started')).toHaveLength(1);
    expect((await types(other.id)).filter((t) => t === 'action.started')).toHaveLength(1);
  });

  it('runs a failed action approved again as attempt 2, and refuses a stale job of attempt 1', async () => {
    flakyCalls = 0;
    const { incident, job } = await approved('flaky');
    const failed = await runApprovedAction(f.runner, job, signal());
    expect(failed).toMatchObject({ status: 'failed', summary: expect.stringContaining('→ 500') });

    const again = await approveAction(
      f.deps,
      f.request(incident.id, 'flaky', { seenAttempts: 1, actor: slackUser(BOB) }),
    );
    expect(again.kind).toBe('approved');
    // A late re-delivery of attempt 1 must not take attempt 2's place.
    const stale = await runApprovedAction(f.runner, job, signal());
    expect(stale).toMatchObject({ status: 'queued', attempt: 2 });
    expect(flakyCalls).toBe(1);

    const second = await runApprovedAction(f.runner, { ...job, attempt: 2, approvedBy: BOB }, signal());
    expect(second).toMatchObject({ status: 'succeeded', attempt: 2, decidedBy: BOB });
    expect(flakyCalls).toBe(2);
  });

  // Resolve now refuses while an action is queued (its undo would be locked out); an incident closed
  // another way (its opening gave up, an older bot resolved it) still must not run what was queued.
  it('does not run an action whose incident was closed before it started, and says so', async () => {
    const before = calls('/act');
    const { incident, job } = await approved('act');
    expect(await resolveIncident(f.deps, incident.id, slackUser(BOB))).toMatchObject({
      kind: 'refused',
      refusal: { code: 'actions-in-flight', actions: [{ actionId: 'act', status: 'queued' }] },
    });
    await moveIncident(f.deps, incident.id, ['mitigating'], 'resolved');
    const state = await runApprovedAction(f.runner, job, signal());
    expect(state).toMatchObject({
      status: 'failed',
      summary: 'not run: the incident was resolved before the action started',
    });
    expect(calls('/act') - before).toBe(0);
    // The thread must not claim it ran.
    expect(await types(incident.id)).not.toContain('action.started');
    expect((await f.store.readTimeline(incident.id)).at(-1)).toMatchObject({
      type: 'action.finished',
      status: 'failed',
    });
  });

  it('fails an action whose target hangs after the step timeout, with a summary that says so', async () => {
    const { job } = await approved('hang');
    const started = performance.now();
    const state = await runApprovedAction(f.runner, job, signal());
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(state).toMatchObject({
      status: 'failed',
      summary: expect.stringMatching(/\/hang timed out after 300 ms$/),
    });
  });

  it('refuses a job for an action the runbook no longer has', async () => {
    const { incident } = await approved('act');
    const ghost: ActionJob = { incidentId: incident.id, actionId: 'removed', approvedBy: ALICE, attempt: 1 };
    expect(await runApprovedAction(f.runner, ghost, signal())).toBeUndefined();
    const none: ActionJob = {
      incidentId: '20261125-test-none',
      actionId: 'act',
      approvedBy: ALICE,
      attempt: 1,
    };
    expect(await runApprovedAction(f.runner, none, signal())).toBeUndefined();
  });
});

describe('markActionStalled', () => {
  it('fails a running action whose worker died, saying its outcome is unknown, and counts it', async () => {
    const failedCount = async () =>
      (await f.core.metrics.actionsFinished.get()).values.find((v) => v.labels.outcome === 'failed')?.value ??
      0;
    const { incident, job } = await approved('act');
    await f.store.transitionAction(incident.id, 'act', ['queued'], { status: 'running' });
    const before = await failedCount();
    await markActionStalled(f.runner, job);
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({
      status: 'failed',
      summary: expect.stringContaining('outcome is unknown'),
    });
    expect((await f.store.readTimeline(incident.id)).at(-1)).toMatchObject({
      type: 'action.finished',
      status: 'failed',
      summary: expect.stringContaining('outcome is unknown'),
    });
    expect(await failedCount()).toBe(before + 1);
  });

  it('leaves a finished action, and a newer attempt, alone', async () => {
    const { incident, job } = await approved('act');
    await runApprovedAction(f.runner, job, signal());
    await markActionStalled(f.runner, job);
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({ status: 'succeeded' });

    flakyCalls = 1; // the next /flaky answers 200
    const other = await f.seedIncident({ id: '20261125-test-stal' });
    await approveAction(f.deps, f.request(other.id, 'flaky'));
    await f.store.transitionAction(other.id, 'flaky', ['queued'], { status: 'running' });
    await f.store.transitionAction(other.id, 'flaky', ['running'], { status: 'failed', summary: 'HTTP 500' });
    await approveAction(f.deps, f.request(other.id, 'flaky', { seenAttempts: 1 }));
    // Attempt 1's job is reported stalled late: attempt 2, queued, must stay queued.
    await markActionStalled(f.runner, {
      incidentId: other.id,
      actionId: 'flaky',
      approvedBy: ALICE,
      attempt: 1,
    });
    expect(await f.store.getAction(other.id, 'flaky')).toMatchObject({ status: 'queued', attempt: 2 });
  });
});

describe('the action worker', () => {
  it('runs an approved action from the queue once, even when its job is added again', async () => {
    const before = calls('/act');
    const { incident, job } = await approved('act');
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const worker: Worker<ActionJob> = createActionWorker(f.runner, {
      connection,
      prefix: f.core.queuePrefix(ACTION_QUEUE),
    });
    try {
      await expect
        .poll(async () => (await f.store.getAction(incident.id, 'act'))?.status, { timeout: 5000 })
        .toBe('succeeded');
      // The same approval re-queued (requeue at start, a duplicate add): the job id is the same.
      await f.actionQueue.add('run', job, { jobId: 'act-duplicate-delivery' });
      await expect
        .poll(async () => (await f.actionQueue.getCompletedCount()) >= 2, { timeout: 5000 })
        .toBe(true);
      expect(calls('/act') - before).toBe(1);
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
