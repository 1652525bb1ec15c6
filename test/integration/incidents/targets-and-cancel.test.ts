// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { execFileSync } from 'node:child_process';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ACTION_QUEUE, type ActionJob } from '../../../src/incidents/action-queue.js';
import type { ActionState } from '../../../src/incidents/action-state.js';
import { createActionWorker } from '../../../src/incidents/action-worker.js';
import { cancelAction } from '../../../src/incidents/cancel-action.js';
import { approveAction } from '../../../src/incidents/decide-action.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { ALICE, createFixture, type Fixture, MALLORY, slackUser } from './incident-fixture.js';

/** A seconds value no other process on the machine sleeps for: the test finds its own `sleep`. */
const SLEEP = '31.717';

/** When each request arrived and was answered, by path; `/hang` never answers, and says when its socket closed. */
const events: Array<{ path: string; at: number; what: 'start' | 'end' | 'closed' }> = [];
let holdSlowMs = 400;
let target: LocalServer;
beforeAll(async () => {
  target = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    events.push({ path, at: Date.now(), what: 'start' });
    if (path === '/hang') {
      req.socket.once('close', () => events.push({ path, at: Date.now(), what: 'closed' }));
      return;
    }
    setTimeout(
      () => {
        events.push({ path, at: Date.now(), what: 'end' });
        sendJson(res, 200, { ok: true, path });
      },
      path === '/slow' ? holdSlowMs : 0,
    );
  });
});
afterAll(async () => {
  await target.close();
});

function runbook(): Runbook {
  const http = (path: string, extra = {}) => ({
    type: 'http',
    method: 'POST',
    url: `\${TARGET_URL}${path}`,
    ...extra,
  });
  return runbookSchema.parse({
    kind: 'test',
    title: 'Targets',
    probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
    groups: [{ id: 'P1', title: 'First' }],
    actions: [
      { id: 'slow', title: 'Staged release', group: 'P1', target: 'breaker', run: http('/slow') },
      { id: 'quick', title: 'Enable the breaker', group: 'P1', target: 'breaker', run: http('/quick') },
      { id: 'elsewhere', title: 'Elsewhere', group: 'P1', target: 'other', run: http('/elsewhere') },
      {
        id: 'long',
        title: 'Long sequence',
        group: 'P1',
        run: {
          type: 'sequence',
          steps: [
            http('/step1'),
            { type: 'process', command: ['sleep', SLEEP], timeout: '60s' },
            http('/step3'),
          ],
        },
      },
      { id: 'hang', title: 'Hanging call', group: 'P1', run: http('/hang', { timeout: '60s' }) },
    ].map((a) => ({ ...a, undo: { none: 'a test action changes nothing real' } })),
  });
}

let f: Fixture;
let worker: Worker<ActionJob> | undefined;
let connection: Redis | undefined;
afterEach(async () => {
  await worker?.close(true);
  connection?.disconnect();
  worker = undefined;
  await f?.close();
});

async function setup() {
  f = await createFixture(inject('redisUrl'), {
    runbook: runbook(),
    vars: { TARGET_URL: target.url, PATH: process.env.PATH ?? '' },
    settings: { allowedPrograms: new Set(['sleep']) },
  });
  connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  worker = createActionWorker(
    { ...f.runner, cancelPollMs: 50 },
    { connection, prefix: f.core.queuePrefix(ACTION_QUEUE), targetPollMs: 50 },
  );
  return f.seedIncident();
}

const stateOf = (incidentId: string, actionId: string) => f.store.getAction(incidentId, actionId);
const until = (check: () => Promise<ActionState | undefined>, status: ActionState['status']) =>
  expect.poll(async () => (await check())?.status, { timeout: 5000, interval: 20 }).toBe(status);
const sleeping = () => {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').some((line) => line.trim() === `sleep ${SLEEP}`);
};

describe('one action per target', () => {
  it('runs two actions on one target one after the other, and says what the second waits for', async () => {
    holdSlowMs = 400;
    const incident = await setup();
    await approveAction(f.deps, f.request(incident.id, 'slow'));
    await expect
      .poll(() => events.some((e) => e.path === '/slow' && e.what === 'start'), { timeout: 5000 })
      .toBe(true);
    await approveAction(f.deps, f.request(incident.id, 'quick'));
    await approveAction(f.deps, f.request(incident.id, 'elsewhere'));

    await expect
      .poll(async () => (await stateOf(incident.id, 'quick'))?.waitingFor, { timeout: 5000, interval: 20 })
      .toEqual({ incidentId: incident.id, actionId: 'slow', title: 'Staged release', target: 'breaker' });
    // Another target is not held up meanwhile.
    await until(() => stateOf(incident.id, 'elsewhere'), 'succeeded');
    expect((await stateOf(incident.id, 'slow'))?.status).toBe('running');

    await until(() => stateOf(incident.id, 'quick'), 'succeeded');
    const slowEnd = events.find((e) => e.path === '/slow' && e.what === 'end')?.at ?? Number.NaN;
    const quickStart = events.find((e) => e.path === '/quick' && e.what === 'start')?.at ?? Number.NaN;
    expect(quickStart).toBeGreaterThanOrEqual(slowEnd);
    expect((await stateOf(incident.id, 'quick'))?.waitingFor).toBeUndefined();
    const waits = (await f.store.readTimeline(incident.id)).filter((e) => e.type === 'action.waiting');
    expect(waits).toEqual([
      expect.objectContaining({
        actionId: 'quick',
        target: 'breaker',
        blockedBy: { incidentId: incident.id, actionId: 'slow', title: 'Staged release' },
      }),
    ]);
  });

  it('cancels an action that waits for its target before it ever runs', async () => {
    holdSlowMs = 1500;
    const incident = await setup();
    await approveAction(f.deps, f.request(incident.id, 'slow'));
    await until(() => stateOf(incident.id, 'slow'), 'running');
    await approveAction(f.deps, f.request(incident.id, 'quick'));
    await expect
      .poll(async () => (await stateOf(incident.id, 'quick'))?.waitingFor, { timeout: 5000 })
      .toBeTruthy();
    const before = events.filter((e) => e.path === '/quick').length;
    const cancelled = await cancelAction(f.deps, {
      incidentId: incident.id,
      actionId: 'quick',
      actor: slackUser(ALICE),
    });
    expect(cancelled).toMatchObject({
      kind: 'cancelled',
      state: {
        status: 'cancelled',
        summary: 'cancelled before it started: nothing ran',
        cancelRequestedBy: ALICE,
      },
    });
    await until(() => stateOf(incident.id, 'slow'), 'succeeded');
    expect(events.filter((e) => e.path === '/quick').length).toBe(before);
    // Cancelled may be approved again, as a new attempt that now has the target to itself.
    expect(await approveAction(f.deps, f.request(incident.id, 'quick', { seenAttempts: 1 }))).toMatchObject({
      kind: 'approved',
    });
    await until(() => stateOf(incident.id, 'quick'), 'succeeded');
  });
});

describe('cancel', () => {
  it('stops a long sequence in its running step: the process group is killed, the rest never runs', async () => {
    const incident = await setup();
    await approveAction(f.deps, f.request(incident.id, 'long'));
    await expect.poll(sleeping, { timeout: 5000, interval: 20 }).toBe(true);
    expect(
      await cancelAction(f.deps, { incidentId: incident.id, actionId: 'long', actor: slackUser(MALLORY) }),
    ).toMatchObject({ kind: 'cancelling', state: { status: 'running', cancelRequestedBy: MALLORY } });
    // The sleep has 31 s to go and the step 60 s: only the cancel can end it this soon.
    await until(() => stateOf(incident.id, 'long'), 'cancelled');
    expect(await stateOf(incident.id, 'long')).toMatchObject({
      summary:
        'cancelled after 1 of 3 steps; step 2/3 (run sleep 31.717) was cut mid-way: its outcome is unknown',
      progress: { done: 1, total: 3, cut: 'step 2/3 (run sleep 31.717)' },
      cancelRequestedBy: MALLORY,
    });
    expect(sleeping()).toBe(false);
    expect(events.some((e) => e.path === '/step3')).toBe(false);
    expect(
      (await f.store.readTimeline(incident.id))
        .filter((e) => e.type.startsWith('action.'))
        .map((e) => e.type),
    ).toEqual(['action.decided', 'action.started', 'action.cancel-requested', 'action.finished']);
    // A second click finds nothing to stop.
    expect(
      await cancelAction(f.deps, { incidentId: incident.id, actionId: 'long', actor: slackUser(ALICE) }),
    ).toMatchObject({ kind: 'already-decided', state: { status: 'cancelled' } });
  });

  it('stops a hanging HTTP call: its socket is closed and its outcome is unknown', async () => {
    const incident = await setup();
    await approveAction(f.deps, f.request(incident.id, 'hang'));
    await expect
      .poll(() => events.some((e) => e.path === '/hang' && e.what === 'start'), { timeout: 5000 })
      .toBe(true);
    await until(() => stateOf(incident.id, 'hang'), 'running');
    await cancelAction(f.deps, { incidentId: incident.id, actionId: 'hang', actor: slackUser(ALICE) });
    await until(() => stateOf(incident.id, 'hang'), 'cancelled');
    // The step as the runbook writes it: the summary never holds a resolved value.
    expect((await stateOf(incident.id, 'hang'))?.summary).toBe(
      'cancelled during POST ${TARGET_URL}/hang: its outcome is unknown',
    );
    await expect
      .poll(() => events.some((e) => e.path === '/hang' && e.what === 'closed'), { timeout: 2000 })
      .toBe(true);
  });
});
