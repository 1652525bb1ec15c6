import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DEADLINE_QUEUE, type DeadlineJob } from '../../../src/incidents/deadlines/deadline-queue.js';
import { createDeadlineWorker } from '../../../src/incidents/deadlines/deadline-worker.js';
import {
  scheduleDeadlines,
  scheduleOpenDeadlines,
} from '../../../src/incidents/deadlines/schedule-deadlines.js';
import { approveAction } from '../../../src/incidents/decide-action.js';
import { moveIncident } from '../../../src/incidents/move-incident.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import type { TimelineEntry } from '../../../src/timeline/timeline-entry.js';
import { BOB, createFixture, type Fixture } from './incident-fixture.js';

function runbook(): Runbook {
  const step = { type: 'wait', duration: '1s' };
  const undo = { none: 'a test action changes nothing real' };
  return runbookSchema.parse({
    kind: 'test',
    title: 'Deadlines',
    probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
    groups: [
      { id: 'P1', title: 'Traffic control', deadline: '30s', approvers: [BOB, { group: 'S0ONCALL01' }] },
      { id: 'P2', title: 'Resources', deadline: '2m' },
      { id: 'later', title: 'No deadline' },
    ],
    actions: [
      { id: 'limit', title: 'Rate limit', group: 'P1', run: step, undo },
      { id: 'breaker', title: 'Circuit breaker', group: 'P1', run: step, undo },
      { id: 'restart', title: 'Restart', group: 'P2', run: step, undo },
      { id: 'scale', title: 'Scale', group: 'later', run: step, undo },
    ],
  });
}

/** The tests' clock: BullMQ's delays are real time, the core's deadlines are this. */
let nowMs = Date.now();
const now = () => new Date(nowMs);

let f: Fixture;
let worker: Worker<DeadlineJob> | undefined;
let connection: Redis | undefined;
const open: Fixture[] = [];
afterEach(async () => {
  await worker?.close();
  connection?.disconnect();
  worker = undefined;
  for (const fixture of open.splice(0).reverse()) await fixture.close();
});

/** A core (and its deadline worker) on `prefix`: the same Redis after a restart. */
async function start(prefix?: string) {
  f = await createFixture(inject('redisUrl'), { runbook: runbook(), now, ...(prefix ? { prefix } : {}) });
  open.push(f);
  connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  worker = createDeadlineWorker(f.deps, { connection, prefix: f.core.queuePrefix(DEADLINE_QUEUE) });
  return f;
}

async function stop() {
  await worker?.close();
  connection?.disconnect();
  worker = undefined;
  await f.close({ keepData: true });
  open.splice(open.indexOf(f), 1);
}

/** What the test's clock says is due now, handed to the worker at once (BullMQ would wait in real time). */
async function promoteDue(queue: Queue<DeadlineJob>, all = false): Promise<number> {
  let promoted = 0;
  for (const job of await queue.getDelayed()) {
    if (all || Date.parse(job.data.dueAt) <= nowMs) {
      await job.promote();
      promoted++;
    }
  }
  return promoted;
}

const told = async (incidentId: string) =>
  (await f.store.readTimeline(incidentId)).filter((e) => e.type.startsWith('deadline.')) as Array<
    Extract<TimelineEntry, { type: 'deadline.reminder' | 'deadline.escalated' }>
  >;
/** Nothing left to process: every promoted or re-added job ran (or went back to waiting). */
const settled = (queue: Queue<DeadlineJob>) =>
  expect
    .poll(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'active');
        return (counts.waiting ?? 0) + (counts.active ?? 0);
      },
      { timeout: 5000 },
    )
    .toBe(0);

describe('group deadlines', () => {
  it('remind once at the deadline and escalate once a deadline later, across a restart', async () => {
    nowMs = Date.now();
    await start();
    const incident = await f.seedIncident();
    await f.deps.timeline.record(incident.id, { type: 'actions.offered', groupId: 'P1' });
    expect(await scheduleDeadlines(f.deps, incident.id)).toBe(1);
    expect((await f.deps.deadlineQueue.getDelayed()).map((j) => j.id).sort()).toEqual([
      `deadline-${incident.id}-P1-escalate`,
      `deadline-${incident.id}-P1-remind`,
    ]);

    // Early, by the core's clock: the worker puts them back to wait, and says nothing.
    expect(await promoteDue(f.deps.deadlineQueue, true)).toBe(2);
    await expect
      .poll(async () => (await f.deps.deadlineQueue.getDelayed()).length, { timeout: 5000 })
      .toBe(2);
    expect(await told(incident.id)).toEqual([]);

    await approveAction(f.deps, f.request(incident.id, 'limit', { actor: { id: BOB, via: 'slack' } }));
    nowMs += 30_000;
    expect(await promoteDue(f.deps.deadlineQueue)).toBe(1);
    await expect.poll(async () => (await told(incident.id)).length, { timeout: 5000 }).toBe(1);
    expect((await told(incident.id))[0]).toMatchObject({
      type: 'deadline.reminder',
      groupId: 'P1',
      actionIds: ['breaker'],
      deadline: '30s',
      ask: { users: [BOB], groups: ['S0ONCALL01'] },
    });
    expect(await f.store.getAction(incident.id, 'breaker')).toMatchObject({
      status: 'offered',
      overdueAt: now().toISOString(),
    });
    expect((await f.store.getAction(incident.id, 'limit'))?.overdueAt).toBeUndefined();

    // The bot restarts: it schedules every open incident's deadlines again, which adds nothing.
    await stop();
    await start(f.prefix);
    await scheduleOpenDeadlines(f.deps);
    expect((await f.deps.deadlineQueue.getDelayed()).map((j) => j.id)).toEqual([
      `deadline-${incident.id}-P1-escalate`,
    ]);

    nowMs += 30_000;
    expect(await promoteDue(f.deps.deadlineQueue)).toBe(1);
    await expect.poll(async () => (await told(incident.id)).length, { timeout: 5000 }).toBe(2);
    expect((await told(incident.id))[1]).toMatchObject({
      type: 'deadline.escalated',
      groupId: 'P1',
      actionIds: ['breaker'],
      commander: { id: incident.openedBy, via: 'slack' },
    });
    expect((await f.store.getAction(incident.id, 'breaker'))?.escalatedAt).toBe(now().toISOString());
    const fired = (await f.core.metrics.deadlinesFired.get()).values.map((v) => [v.labels.stage, v.value]);
    expect(fired).toEqual([['escalate', 1]]);

    // Even with its jobs gone and scheduled again (a second replica, a lost queue), nothing is said twice.
    await f.deps.deadlineQueue.obliterate({ force: true });
    expect(await scheduleOpenDeadlines(f.deps)).toBe(1);
    await settled(f.deps.deadlineQueue);
    expect((await told(incident.id)).map((e) => e.type)).toEqual(['deadline.reminder', 'deadline.escalated']);
  });

  it('says nothing when every action was decided in time, or the incident is closed', async () => {
    nowMs = Date.now();
    await start();
    const decided = await f.seedIncident();
    const closed = await f.seedIncident();
    for (const incident of [decided, closed]) {
      await f.deps.timeline.record(incident.id, { type: 'actions.offered', groupId: 'P1' });
      await f.deps.timeline.record(incident.id, { type: 'actions.offered', groupId: 'later' });
      await scheduleDeadlines(f.deps, incident.id);
    }
    for (const id of ['limit', 'breaker']) {
      await approveAction(f.deps, f.request(decided.id, id, { actor: { id: BOB, via: 'slack' } }));
    }
    await moveIncident(f.deps, closed.id, ['investigating'], 'resolved');
    nowMs += 60_000;
    expect(await promoteDue(f.deps.deadlineQueue)).toBe(4);
    await settled(f.deps.deadlineQueue);
    expect(await told(decided.id)).toEqual([]);
    expect(await told(closed.id)).toEqual([]);
  });
});
