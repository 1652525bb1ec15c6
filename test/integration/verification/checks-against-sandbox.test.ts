import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { CheckOutcome } from '../../../src/timeline/check-outcome.js';
import { runScheduledChecks } from '../../../src/verification/check-worker.js';
import { runChecks } from '../../../src/verification/run-checks.js';
import { tickCheck } from '../../../src/verification/tick-check.js';
import { BOB, createFixture, type Fixture, slackUser } from '../incidents/incident-fixture.js';
import { HISTORY_MS, sleep, startSandbox, TOKEN } from '../sandbox/sandbox-harness.js';
import { MINUTE, testClock } from './clock.js';

const clock = testClock();
let f: Fixture;
afterEach(async () => {
  await f?.close();
});

/** The 503 runbook against a sandbox, with the core on a clock the test moves. */
async function setup(mode: 'healthy' | 'spike') {
  const { sandbox, urls } = await startSandbox({ mode });
  clock.set('2026-11-25T10:00:00.000Z');
  f = await createFixture(inject('redisUrl'), {
    runbooks: [(await loadRunbooks('commands')).get('503')].flatMap((r) => (r ? [r] : [])),
    vars: {
      PROJECT_SERVICE_URL: urls.project,
      GENERATION_SERVICE_URL: urls.generation,
      FRONTEND_URL: urls.frontend,
      PROMETHEUS_URL: urls.prometheus,
      ADMIN_TOKEN: TOKEN,
    },
    now: clock.now,
  });
  const incident = await f.seedIncident({ kind: '503', openedAt: clock.iso() });
  await f.core.verification.checklist.markOnce(incident.id, 'mitigatedAt', '2026-11-25T10:01:00.000Z');
  return { sandbox, incident };
}

const statuses = (results: readonly CheckOutcome[]) =>
  Object.fromEntries(results.map((r) => [r.checkId, r.status]));

describe('recovery checks against the sandbox', () => {
  it('fail during a spike, with each value and threshold, and the incident has not recovered', async () => {
    const { incident } = await setup('spike');
    clock.set('2026-11-25T10:06:00.000Z');
    await runScheduledChecks(f.core.verification, { incidentId: incident.id, within: '5m', recheck: 0 });
    const timeline = await f.store.readTimeline(incident.id);
    const run = timeline.find((e) => e.type === 'checklist.checked');
    if (run?.type !== 'checklist.checked') throw new Error('no checklist.checked entry');
    expect(run.trigger).toBe('schedule');
    expect(statuses(run.results)).toEqual({
      'check-503-ratio': 'failed',
      'check-response-time': 'passed',
      'check-health-endpoints': 'failed',
    });
    expect(run.results[0]?.evidence[0]).toMatch(/^http-503-ratio \d+(\.\d+)? % not < 1$/);
    const record = await f.core.verification.checklist.read(incident.id);
    expect(record.recoveredAt).toBeUndefined();
    expect(record.results['check-503-ratio']).toMatchObject({
      status: 'failed',
      at: '2026-11-25T10:06:00.000Z',
    });
    expect(timeline.some((e) => e.type === 'incident.recovered')).toBe(false);
    // Not recovered: the first tier is checked again on its own.
    const recheck = await f.core.queues.checks.getJob(`chk-${incident.id}-5m-r1`);
    expect(recheck?.opts.delay).toBe(5 * MINUTE);
  });

  it('pass when healthy; the recovered time is set once; a failure afterwards is told loudly', async () => {
    const { sandbox, incident } = await setup('healthy');
    clock.set('2026-11-25T10:06:00.000Z');
    const first = await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'request' });
    expect(first.kind === 'ran' && statuses(first.results)).toEqual({
      'check-503-ratio': 'passed',
      'check-response-time': 'passed',
      'check-health-endpoints': 'passed',
    });
    // Not yet: "core features tested by hand" is a 5-minute check too.
    expect((await f.core.verification.checklist.read(incident.id)).recoveredAt).toBeUndefined();
    clock.set('2026-11-25T10:07:30.000Z');
    expect(await tickCheck(f.core.verification, incident.id, 'check-core-features', slackUser(BOB))).toEqual({
      kind: 'ticked',
      recoveredAt: '2026-11-25T10:07:30.000Z',
    });
    clock.set('2026-11-25T10:09:00.000Z');
    const again = await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'request' });
    expect(again).toMatchObject({ kind: 'ran', regressed: [] });
    expect(again.kind === 'ran' && again.recoveredAt).toBeFalsy();

    sandbox.setMode('spike');
    await sleep(HISTORY_MS + 100);
    clock.set('2026-11-25T10:12:00.000Z');
    const worse = await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'request' });
    expect(worse.kind === 'ran' && worse.regressed.map((r) => r.checkId)).toEqual([
      'check-503-ratio',
      'check-health-endpoints',
    ]);
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.filter((e) => e.type === 'incident.recovered')).toEqual([
      expect.objectContaining({
        checkIds: ['check-503-ratio', 'check-response-time', 'check-health-endpoints', 'check-core-features'],
      }),
    ]);
    expect(timeline.filter((e) => e.type === 'checklist.regressed')).toHaveLength(1);
    expect((await f.core.verification.checklist.read(incident.id)).recoveredAt).toBe(
      '2026-11-25T10:07:30.000Z',
    );
  });

  it('records nothing for a tick or a verify request nobody can be named for (an empty user id)', async () => {
    const { incident } = await setup('healthy');
    clock.set('2026-11-25T10:07:30.000Z');
    const nobody = slackUser('');
    const refused = { kind: 'refused', refusal: { code: 'actor-unknown', via: 'slack' } };
    expect(await tickCheck(f.core.verification, incident.id, 'check-core-features', nobody)).toEqual(refused);
    expect(
      await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'request', actor: nobody }),
    ).toEqual(refused);
    const checklist = await f.core.verification.checklist.read(incident.id);
    expect(checklist.results['check-core-features']).toBeUndefined();
    expect(checklist.recoveredAt).toBeUndefined();
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.filter((e) => e.type.startsWith('checklist.'))).toEqual([]);
  });

  it('`/incident verify` runs every tier whose time has come since the first mitigation', async () => {
    const { incident } = await setup('healthy');
    clock.set('2026-11-25T10:40:00.000Z');
    const due = await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'request' });
    expect(due.kind === 'ran' && Object.keys(statuses(due.results))).toEqual([
      'check-503-ratio',
      'check-response-time',
      'check-health-endpoints',
      'check-cpu',
      'check-memory',
      'check-db-connections',
      'check-error-log-growth',
    ]);
  });
});
