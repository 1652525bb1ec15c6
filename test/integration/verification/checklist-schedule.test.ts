import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildCore } from '../../../src/app/build-core.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { createLogger } from '../../../src/logging/logger.js';
import { checkJobId } from '../../../src/verification/check-queue.js';
import { createCheckWorker } from '../../../src/verification/check-worker.js';
import { resumeChecklists, startChecklist } from '../../../src/verification/start-checklist.js';
import { tickCheck } from '../../../src/verification/tick-check.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { BOB, createFixture, type Fixture, slackUser } from '../incidents/incident-fixture.js';
import { checklistRunbook } from './checklist-runbook.js';
import { MINUTE, testClock } from './clock.js';

let server: LocalServer;
let healthy = true;
beforeAll(async () => {
  server = await startServer((_req, res) => sendJson(res, healthy ? 200 : 503, {}));
});
afterAll(() => server.close());

const clock = testClock();
let f: Fixture;
afterEach(async () => {
  healthy = true;
  await f?.close();
});

async function setup() {
  clock.set('2026-11-25T10:00:00.000Z');
  f = await createFixture(inject('redisUrl'), {
    runbooks: [checklistRunbook()],
    vars: { TARGET_URL: server.url },
    now: clock.now,
  });
  return f.seedIncident({ kind: 'chk', openedAt: clock.iso() });
}

const succeeded = (actionId: string) => ({ type: 'action.finished', actionId, status: 'succeeded' }) as const;

async function checkJobs() {
  const jobs = await f.core.queues.checks.getJobs(['delayed', 'waiting', 'active', 'completed']);
  return jobs.map((j) => ({ id: j.id, delay: j.opts.delay })).sort((a, b) => (a.delay ?? 0) - (b.delay ?? 0));
}

describe('the recovery checklist schedule', () => {
  it('starts at the first successful mitigation: one entry, one delayed job per tier, deterministic ids', async () => {
    const incident = await setup();
    clock.advance(2 * MINUTE);
    await f.deps.timeline.record(incident.id, succeeded('act'));
    const record = await f.core.verification.checklist.read(incident.id);
    expect(record.mitigatedAt).toBe('2026-11-25T10:02:00.000Z');
    expect(await checkJobs()).toEqual([
      { id: checkJobId({ incidentId: incident.id, within: '5m' }), delay: 5 * MINUTE },
      { id: checkJobId({ incidentId: incident.id, within: '30m' }), delay: 30 * MINUTE },
    ]);
    const started = (await f.store.readTimeline(incident.id)).filter((e) => e.type === 'checklist.started');
    expect(started).toEqual([
      expect.objectContaining({
        tiers: [
          { within: '5m', dueAt: '2026-11-25T10:07:00.000Z' },
          { within: '30m', dueAt: '2026-11-25T10:32:00.000Z' },
        ],
      }),
    ]);
  });

  it('neither a second mitigation, a restart nor a second replica doubles or moves it', async () => {
    const incident = await setup();
    clock.advance(2 * MINUTE);
    await f.deps.timeline.record(incident.id, succeeded('act'));
    clock.advance(MINUTE);
    await f.deps.timeline.record(incident.id, succeeded('act'));
    // The normalization is not a mitigation, and a restart resumes what is there.
    await f.deps.timeline.record(incident.id, succeeded('undo-act'));
    expect(await resumeChecklists(f.core.verification)).toBe(1);
    const replica = await buildCore(
      {
        redisUrl: inject('redisUrl'),
        redisPrefix: f.prefix,
        approvers: [],
        runbookDir: 'unused',
        vars: {},
        secrets: [],
        allowedPrograms: new Set(),
        procRoot: '/proc',
      },
      createLogger('silent'),
      { runbooks: f.core.deps.runbooks, now: clock.now },
    );
    try {
      expect(await startChecklist(replica.verification, incident.id, clock.iso())).toBe(false);
    } finally {
      await replica.close();
    }
    expect((await f.core.verification.checklist.read(incident.id)).mitigatedAt).toBe(
      '2026-11-25T10:02:00.000Z',
    );
    expect((await checkJobs()).map((j) => j.id)).toHaveLength(2);
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.filter((e) => e.type === 'checklist.started')).toHaveLength(1);
  });

  it('a restart after a crash between the mitigation and its checks schedules and tells them', async () => {
    const incident = await setup();
    await f.core.verification.checklist.markOnce(incident.id, 'mitigatedAt', '2026-11-25T09:50:00.000Z');
    expect(await resumeChecklists(f.core.verification)).toBe(1);
    // Past due: the 5-minute job runs at once; the 30-minute one waits the 20 minutes left.
    expect(await checkJobs()).toEqual([
      expect.objectContaining({ delay: 0 }),
      expect.objectContaining({ delay: 20 * MINUTE }),
    ]);
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.filter((e) => e.type === 'checklist.started')).toHaveLength(1);
  });

  it('the worker runs a due tier once, re-checks the first tier until it recovers, and records who ticked', async () => {
    const incident = await setup();
    healthy = false;
    await f.core.verification.checklist.markOnce(incident.id, 'mitigatedAt', '2026-11-25T09:20:00.000Z');
    const worker = createCheckWorker(
      { ...f.core.verification, recheck: { everyMs: 0, times: 1 } },
      { connection: f.core.workerRedis, prefix: f.prefix },
    );
    try {
      await resumeChecklists(f.core.verification);
      const checked = async () =>
        (await f.store.readTimeline(incident.id)).filter((e) => e.type === 'checklist.checked');
      await expect.poll(async () => (await checked()).length, { timeout: 3000 }).toBe(3);
      // The 5- and 30-minute tiers (both due), then one re-check of the first tier: all failing.
      const runs = await checked();
      expect(
        runs.map((e) => (e.type === 'checklist.checked' ? e.results.map((r) => r.checkId) : [])),
      ).toEqual(expect.arrayContaining([['check-ping'], ['check-ping', 'check-later']]));
      expect((await f.core.verification.checklist.read(incident.id)).recoveredAt).toBeUndefined();
      // Re-adding a job that ran (a restart after BullMQ removed it) runs nothing again.
      const job = { incidentId: incident.id, within: '5m', recheck: 0 };
      await f.core.queues.checks.remove(checkJobId(job));
      await f.core.queues.checks.add('check', job, { jobId: checkJobId(job) });
      await expect
        .poll(async () => (await f.core.queues.checks.getJobCounts()).completed, { timeout: 5000 })
        .toBe(3);
      expect(await checked()).toHaveLength(3);
    } finally {
      await worker.close();
    }
    const ticked = await tickCheck(f.core.verification, incident.id, 'check-by-hand', slackUser(BOB));
    expect(ticked).toEqual({ kind: 'ticked' });
    expect(
      await tickCheck(f.core.verification, incident.id, 'check-by-hand', slackUser('U0CAROL003')),
    ).toEqual({
      kind: 'already-ticked',
      result: expect.objectContaining({ by: BOB, via: 'slack' }),
    });
    expect(await tickCheck(f.core.verification, incident.id, 'check-ping', slackUser(BOB))).toEqual({
      kind: 'not-tickable',
      checkId: 'check-ping',
    });
    const entry = (await f.store.readTimeline(incident.id)).find((e) => e.type === 'checklist.ticked');
    expect(entry).toMatchObject({ checkId: 'check-by-hand', actor: BOB, via: 'slack' });
  });
});

describe('resolving while checks are not green', () => {
  it('asks for a reason, records it, and needs none once every check passed', async () => {
    const incident = await setup();
    const bob = slackUser(BOB);
    expect(await resolveIncident(f.deps, incident.id, bob)).toEqual({
      kind: 'checks-not-green',
      checks: [
        { checkId: 'check-ping', title: 'Ping answers', state: 'pending' },
        { checkId: 'check-by-hand', title: 'Tested by hand', state: 'needs-person' },
        { checkId: 'check-later', title: 'Ping still answers', state: 'pending' },
      ],
    });
    expect((await f.store.get(incident.id))?.status).toBe('investigating');
    const resolved = await resolveIncident(f.deps, incident.id, bob, {
      reason: 'false alarm, the probe was wrong',
    });
    expect(resolved.kind).toBe('resolved');
    const note = (await f.store.readTimeline(incident.id)).find((e) => e.type === 'note');
    expect(note).toMatchObject({
      actor: BOB,
      text:
        'Resolved with 3 check(s) not green: Ping answers (pending); Tested by hand (needs-person); ' +
        'Ping still answers (pending). Reason: false alarm, the probe was wrong',
    });
  });

  it('with every check green the resolve needs no reason', async () => {
    const incident = await setup();
    const { runChecks } = await import('../../../src/verification/run-checks.js');
    expect(
      await runChecks(f.core.verification, incident.id, { scope: 'all', trigger: 'request' }),
    ).toMatchObject({
      kind: 'ran',
      results: [
        { checkId: 'check-ping', status: 'passed' },
        { checkId: 'check-later', status: 'passed' },
      ],
    });
    await tickCheck(f.core.verification, incident.id, 'check-by-hand', slackUser(BOB));
    const resolved = await resolveIncident(f.deps, incident.id, slackUser(BOB));
    expect(resolved.kind).toBe('resolved');
    expect((await f.store.readTimeline(incident.id)).some((e) => e.type === 'note')).toBe(false);
  });
});
