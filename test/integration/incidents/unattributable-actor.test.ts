import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createActionWorker } from '../../../src/incidents/action-worker.js';
import { addToTimeline } from '../../../src/incidents/add-note.js';
import { approveAction, requeueApproved, skipAction } from '../../../src/incidents/decide-action.js';
import { openIncident } from '../../../src/incidents/open-incident.js';
import { isRefusedError } from '../../../src/incidents/refused-error.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import type { Actor } from '../../../src/timeline/actor.js';
import { allJobs, createFixture, type Fixture } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

/** Ids a signed but odd payload can carry: none of them can be recorded as "who". */
const NOBODY: Actor[] = [
  { id: '', via: 'slack' },
  { id: '   ', via: 'slack' },
  { id: 'U0\u0000NUL', via: 'slack' },
  { id: 'U0\u200bZERO', via: 'slack' },
  { id: 'U'.repeat(129), via: 'slack' },
  { id: 'U0ALICE001', via: 'carrier-pigeon' as Actor['via'] },
  { id: '\t\n', via: 'slack' },
];

describe('an actor the core cannot attribute, on every use case', () => {
  it('is refused an approval or a skip: the action stays offered, no job, no timeline entry', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    for (const actor of NOBODY) {
      const approved = await approveAction(f.deps, f.request(incident.id, 'act', { actor }));
      expect(approved).toMatchObject({ kind: 'refused', refusal: { code: 'actor-unknown' } });
      const skipped = await skipAction(f.deps, f.request(incident.id, 'act', { actor }));
      expect(skipped).toMatchObject({ kind: 'refused', refusal: { code: 'actor-unknown' } });
    }
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({ status: 'offered' });
    expect(await allJobs(f.actionQueue)).toEqual([]);
    expect(await f.store.readTimeline(incident.id)).toEqual([]);
  });

  it('accepts ids a surface really uses, spaces inside included (an alert called "High CPU")', async () => {
    f = await createFixture(inject('redisUrl'));
    const opened = await openIncident(f.deps, {
      kind: 'test',
      summary: '',
      actor: { id: 'High CPU', via: 'alertmanager' },
    });
    expect(opened.openedBy).toBe('High CPU');
  });

  it('is refused opening an incident and resolving one, and nothing is recorded', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    for (const actor of NOBODY) {
      await expect(openIncident(f.deps, { kind: 'test', summary: '', actor })).rejects.toSatisfy(
        (err) => isRefusedError(err) && err.refusal.code === 'actor-unknown',
      );
      expect(await resolveIncident(f.deps, incident.id, actor)).toMatchObject({
        kind: 'refused',
        refusal: { code: 'actor-unknown' },
      });
    }
    expect((await f.store.listRecent(10)).map((i) => i.id)).toEqual([incident.id]);
    expect((await f.store.get(incident.id))?.status).toBe('investigating');
  });

  it('is refused a note or a pinned message: the story records nobody', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    for (const actor of NOBODY) {
      expect(await addToTimeline(f.deps, incident.id, actor, { text: 'rolled back by hand' })).toEqual({
        kind: 'refused',
        refusal: { code: 'actor-unknown', via: expect.any(String) },
      });
      expect(
        await addToTimeline(f.deps, incident.id, actor, { text: 'look here', markedBy: 'U0BOB00002' }),
      ).toMatchObject({ kind: 'refused', refusal: { code: 'actor-unknown' } });
    }
    expect(await f.store.readTimeline(incident.id)).toEqual([]);
  });
});

/** What an empty user id left behind before the core refused it: an action queued by nobody. */
const queueWithoutApprover = (incidentId: string) =>
  f.store.transitionAction(incidentId, 'act', ['offered'], {
    status: 'queued',
    decidedBy: '',
    bumpAttempt: true,
  });

describe('an action left queued with no approver (by a version that accepted an empty user id)', () => {
  it('is failed at start, with a reason in the timeline, instead of staying queued across restarts', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    await queueWithoutApprover(incident.id);
    expect(await requeueApproved(f.deps)).toBe(0);
    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({
      status: 'failed',
      summary: expect.stringContaining('names no approver'),
    });
    expect(await f.store.readTimeline(incident.id)).toMatchObject([
      { type: 'action.finished', actionId: 'act', status: 'failed' },
    ]);
    expect(await allJobs(f.actionQueue)).toEqual([]);
  });

  it('is failed by the worker when its job arrives without an approver, not left queued', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    await queueWithoutApprover(incident.id);
    await f.actionQueue.add('run', { incidentId: incident.id, actionId: 'act', approvedBy: '', attempt: 1 });
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const worker = createActionWorker(f.runner, { connection, prefix: f.prefix });
    try {
      await expect
        .poll(async () => (await f.store.getAction(incident.id, 'act'))?.status, { timeout: 5000 })
        .toBe('failed');
      expect((await f.store.getAction(incident.id, 'act'))?.summary).toContain('not run');
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
