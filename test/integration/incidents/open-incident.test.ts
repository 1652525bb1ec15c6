import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isFirebreakError } from '../../../src/errors.js';
import { createIncidentQueue } from '../../../src/incidents/incident-queue.js';
import { openIncident } from '../../../src/incidents/open-incident.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { ALICE, allJobs, createFixture, type Fixture, slackUser } from './incident-fixture.js';

let f: Fixture;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await f?.close();
});

const request = { kind: 'test', summary: 'it broke', actor: slackUser(ALICE) };

describe('openIncident', () => {
  it('records the incident as opening and queues its opening once', async () => {
    f = await createFixture(inject('redisUrl'));
    // The surface keeps what it needs (Slack: the response URL) before the opening can read it.
    const seenBeforeQueued: number[] = [];
    const incident = await openIncident(f.deps, {
      ...request,
      recorded: async () => {
        seenBeforeQueued.push((await allJobs(f.incidentQueue)).length);
      },
    });
    expect(seenBeforeQueued).toEqual([0]);
    expect(incident).toMatchObject({
      id: expect.stringMatching(/^\d{8}-test-[a-z0-9]{4}$/),
      kind: 'test',
      title: 'Test incident',
      severity: 'major',
      status: 'opening',
      openedBy: ALICE,
      openedVia: 'slack',
      progress: {},
    });
    expect(await f.store.get(incident.id)).toEqual(incident);
    expect((await f.store.listOpen()).map((i) => i.id)).toEqual([incident.id]);
    const jobs = await allJobs(f.incidentQueue);
    expect(jobs.map((j) => [j.id, j.data])).toEqual([[`open-${incident.id}`, { incidentId: incident.id }]]);
  });

  it('refuses a kind without a runbook, and records nothing', async () => {
    f = await createFixture(inject('redisUrl'));
    await expect(openIncident(f.deps, { ...request, kind: '504' })).rejects.toSatisfy((err) =>
      isFirebreakError(err, 'runbook_unknown'),
    );
    expect(await f.store.listRecent(10)).toEqual([]);
  });

  it('takes the incident back when the surface cannot keep its part', async () => {
    f = await createFixture(inject('redisUrl'));
    const recorded = () => Promise.reject(new Error('Connection is closed.'));
    await expect(openIncident(f.deps, { ...request, recorded })).rejects.toThrow('Connection is closed.');
    expect(await f.store.listRecent(10)).toEqual([]);
    expect(await allJobs(f.incidentQueue)).toEqual([]);
  });

  it('leaves nothing half-made when its opening cannot be queued', async () => {
    f = await createFixture(inject('redisUrl'));
    // The queue's connection goes through a proxy that drops: the store is reachable, the queue is not.
    proxy = await startTcpProxy(inject('redisUrl'));
    const queueRedis = new Redis(proxy.url, { maxRetriesPerRequest: 1 });
    queueRedis.on('error', () => undefined);
    const incidentQueue = createIncidentQueue(queueRedis, f.prefix);
    incidentQueue.on('error', () => undefined);
    try {
      await incidentQueue.waitUntilReady();
      await proxy.cut();
      const error = await openIncident({ ...f.deps, incidentQueue }, request).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(Error);
      expect(await f.store.listOpen()).toEqual([]);
      expect(await f.store.listRecent(10)).toEqual([]);
    } finally {
      await proxy.restore();
      await incidentQueue.close();
      queueRedis.disconnect();
    }
  });
});
