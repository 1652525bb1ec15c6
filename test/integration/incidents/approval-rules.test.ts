// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelAction } from '../../../src/incidents/cancel-action.js';
import { approveAction, skipAction } from '../../../src/incidents/decide-action.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { runApprovedAction } from '../../../src/incidents/run-approved-action.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { ALICE, allJobs, BOB, createFixture, type Fixture, MALLORY, slackUser } from './incident-fixture.js';

/** `/memory` answers the memory share the test sets; every other path 200. */
let target: LocalServer;
let memoryNow = 10;
beforeAll(async () => {
  target = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    sendJson(res, 200, path === '/memory' ? { used: memoryNow } : { ok: true, path });
  });
});
afterAll(async () => {
  await target.close();
});

function rulesRunbook(): Runbook {
  const http = (path: string) => ({ type: 'http', method: 'POST', url: `\${TARGET_URL}${path}` });
  return runbookSchema.parse({
    kind: 'test',
    title: 'Rules',
    probes: [
      {
        id: 'memory',
        title: 'Memory',
        step: 1,
        check: { type: 'http', url: '${TARGET_URL}/memory', measure: 'json', jsonPath: 'used' },
        threshold: { warn: 80, critical: 90, unit: '%' },
      },
    ],
    groups: [
      { id: 'P1', title: 'First' },
      { id: 'normalize', title: 'After recovery', offer: 'after-recovery' },
    ],
    actions: [
      { id: 'limit', title: 'Rate limit', group: 'P1', run: http('/limit'), undo: 'restore' },
      {
        id: 'restart',
        title: 'Restart',
        group: 'P1',
        destructive: true,
        run: http('/restart'),
        undo: { none: 'a restart has no inverse' },
      },
      {
        id: 'guarded',
        title: 'Guarded restart',
        group: 'P1',
        when: { probe: 'memory', op: '>', value: 85 },
        run: http('/guarded'),
        undo: { none: 'a restart has no inverse' },
      },
      { id: 'restore', title: 'Restore the limit', group: 'normalize', run: http('/restore') },
    ],
  });
}

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

async function setup(options: { approvers?: string[]; destructiveApprovals?: number } = {}) {
  f = await createFixture(inject('redisUrl'), {
    runbook: rulesRunbook(),
    vars: { TARGET_URL: target.url },
    ...(options.approvers ? { approvers: options.approvers } : {}),
    ...(options.destructiveApprovals
      ? { settings: { destructiveApprovals: options.destructiveApprovals } }
      : {}),
  });
  return f.seedIncident();
}

const entries = async (id: string) => f.store.readTimeline(id);
const jobCount = async () => (await allJobs(f.actionQueue)).length;
const run = (incidentId: string, actionId: string, attempt = 1) =>
  runApprovedAction(
    f.runner,
    { incidentId, actionId, approvedBy: ALICE, attempt },
    new AbortController().signal,
  );

describe('who may decide', () => {
  it('refuses a non-approver for approve, skip, undo, cancel and force-resolve, and records each refusal', async () => {
    const incident = await setup({ approvers: [ALICE] });
    const mallory = slackUser(MALLORY);
    const refused: unknown[] = [
      await approveAction(f.deps, f.request(incident.id, 'limit', { actor: mallory })),
      await skipAction(f.deps, f.request(incident.id, 'limit', { actor: mallory })),
    ];
    expect(await approveAction(f.deps, f.request(incident.id, 'limit'))).toMatchObject({ kind: 'approved' });
    expect(await run(incident.id, 'limit')).toMatchObject({ status: 'succeeded' });
    // Undo is approving the undo action: the same authority.
    refused.push(await approveAction(f.deps, f.request(incident.id, 'restore', { actor: mallory })));
    expect(await approveAction(f.deps, f.request(incident.id, 'restore'))).toMatchObject({
      kind: 'approved',
    });
    refused.push(
      await cancelAction(f.deps, { incidentId: incident.id, actionId: 'restore', actor: mallory }),
    );
    const force = await resolveIncident(f.deps, incident.id, mallory, { force: true });

    for (const result of [...refused, force]) {
      expect(result).toMatchObject({ kind: 'refused', refusal: { code: 'not-approver' } });
    }
    expect(await f.store.getAction(incident.id, 'restore')).toMatchObject({ status: 'queued' });
    expect((await f.store.get(incident.id))?.status).toBe('mitigating');
    const why = (await entries(incident.id)).filter((e) => e.type === 'decision.refused');
    expect(
      why.map((e) => [e.actor, 'decision' in e && e.decision, 'actionId' in e ? e.actionId : undefined]),
    ).toEqual([
      [MALLORY, 'approve', 'limit'],
      [MALLORY, 'skip', 'limit'],
      [MALLORY, 'approve', 'restore'],
      [MALLORY, 'cancel', 'restore'],
      [MALLORY, 'force-resolve', undefined],
    ]);
    expect(why.every((e) => e.type === 'decision.refused' && e.reason.includes(`only ${ALICE} may`))).toBe(
      true,
    );
  });

  it('offers an undo only once the action it reverses succeeded', async () => {
    const incident = await setup();
    expect(await approveAction(f.deps, f.request(incident.id, 'restore'))).toMatchObject({
      kind: 'refused',
      refusal: { code: 'nothing-to-undo', undoes: ['Rate limit'] },
    });
    expect(await skipAction(f.deps, f.request(incident.id, 'restore'))).toMatchObject({
      refusal: { code: 'nothing-to-undo' },
    });
    await approveAction(f.deps, f.request(incident.id, 'limit'));
    // Queued, then failed: still nothing to undo.
    expect(await approveAction(f.deps, f.request(incident.id, 'restore'))).toMatchObject({ kind: 'refused' });
    await run(incident.id, 'limit');
    expect(await approveAction(f.deps, f.request(incident.id, 'restore'))).toMatchObject({
      kind: 'approved',
    });
  });
});

describe('the two-person rule', () => {
  it('runs a destructive action only on two different people; the same person twice is still 1 of 2', async () => {
    const incident = await setup();
    const first = await approveAction(f.deps, f.request(incident.id, 'restart', { actor: slackUser(BOB) }));
    expect(first).toMatchObject({ kind: 'approval-recorded', count: 1, required: 2, needsOther: false });
    const again = await approveAction(f.deps, f.request(incident.id, 'restart', { actor: slackUser(BOB) }));
    expect(again).toMatchObject({ kind: 'already-approved', state: { status: 'offered' } });
    expect(await f.store.getAction(incident.id, 'restart')).toMatchObject({
      status: 'offered',
      approvals: [{ by: BOB, round: 1 }],
    });
    expect(await jobCount()).toBe(0);

    const second = await approveAction(
      f.deps,
      f.request(incident.id, 'restart', { actor: slackUser(MALLORY) }),
    );
    expect(second).toMatchObject({
      kind: 'approved',
      state: { status: 'queued', attempt: 1, decidedBy: MALLORY },
    });
    expect(await jobCount()).toBe(1);
    expect(
      (await entries(incident.id))
        .filter((e) => e.type.startsWith('action.'))
        .map((e) => ({ type: e.type, actor: e.actor, ...('count' in e ? { count: e.count } : {}) })),
    ).toEqual([
      { type: 'action.approval', actor: BOB, count: 1 },
      { type: 'action.decided', actor: MALLORY },
    ]);
    expect((await entries(incident.id)).find((e) => e.type === 'action.decided')).toMatchObject({
      approvedBy: [BOB, MALLORY],
    });
  });

  it('lets two people at once complete it exactly once', async () => {
    const incident = await setup();
    const results = await Promise.all(
      [ALICE, BOB, MALLORY, ALICE, BOB, MALLORY].map((who) =>
        approveAction(f.deps, f.request(incident.id, 'restart', { actor: slackUser(who) })),
      ),
    );
    expect(results.filter((r) => r.kind === 'approved')).toHaveLength(1);
    expect(await jobCount()).toBe(1);
  });

  it('does not let the requester alone run a destructive action, even when one approval is enough', async () => {
    // ALICE opened the incident (the fixture's requester); one approval per destructive action here.
    const incident = await setup({ destructiveApprovals: 1 });
    const alone = await approveAction(f.deps, f.request(incident.id, 'restart', { actor: slackUser(ALICE) }));
    expect(alone).toMatchObject({ kind: 'approval-recorded', count: 1, required: 1, needsOther: true });
    expect(await approveAction(f.deps, f.request(incident.id, 'restart'))).toMatchObject({
      kind: 'already-approved',
    });
    expect(await jobCount()).toBe(0);
    expect((await entries(incident.id)).at(-1)).toMatchObject({ type: 'action.approval', needsOther: true });
    const other = await approveAction(f.deps, f.request(incident.id, 'restart', { actor: slackUser(BOB) }));
    expect(other).toMatchObject({ kind: 'approved' });
    // Someone else alone is enough.
    const second = await f.seedIncident();
    expect(
      await approveAction(f.deps, f.request(second.id, 'restart', { actor: slackUser(BOB) })),
    ).toMatchObject({ kind: 'approved' });
  });
});

describe('guards', () => {
  it('refuses on fresh probe values, not the snapshot, and records an override with its reason', async () => {
    const incident = await setup();
    // The snapshot of ten minutes ago says memory was high; the service says 10 % now.
    await f.store.saveDiagnosis(incident.id, {
      startedAt: '',
      finishedAt: '',
      scenarios: [],
      results: [
        {
          probeId: 'memory',
          title: 'Memory',
          verdict: 'critical',
          value: 95,
          unit: '%',
          detail: '',
          durationMs: 1,
        },
      ],
    });
    memoryNow = 10;
    const probesBefore = target.requests.filter((r) => r === '/memory').length;
    const refused = await approveAction(f.deps, f.request(incident.id, 'guarded'));
    expect(refused).toMatchObject({
      kind: 'refused',
      refusal: { code: 'guard-failed', met: false, evidence: ['memory 10 % not > 85'] },
    });
    expect(target.requests.filter((r) => r === '/memory').length).toBe(probesBefore + 1);
    expect(await f.store.getAction(incident.id, 'guarded')).toMatchObject({ status: 'offered' });

    expect(
      await approveAction(f.deps, f.request(incident.id, 'guarded', { override: { reason: '   ' } })),
    ).toMatchObject({ kind: 'refused', refusal: { code: 'override-needs-reason' } });
    const reason = 'the probe reads the wrong host; the service is OOM-looping';
    const anyway = await approveAction(f.deps, f.request(incident.id, 'guarded', { override: { reason } }));
    expect(anyway).toMatchObject({ kind: 'approved' });
    expect(await f.store.getAction(incident.id, 'guarded')).toMatchObject({
      approvals: [{ by: ALICE, override: reason }],
    });
    const timeline = await entries(incident.id);
    expect(timeline.map((e) => e.type)).toEqual([
      'decision.refused',
      'decision.refused',
      'guard.overridden',
      'action.decided',
      'incident.status',
    ]);
    expect(timeline[2]).toMatchObject({ actor: ALICE, reason, evidence: ['memory 10 % not > 85'] });
  });

  it('approves without a word when the fresh values meet the guard', async () => {
    const incident = await setup();
    memoryNow = 93;
    expect(await approveAction(f.deps, f.request(incident.id, 'guarded'))).toMatchObject({
      kind: 'approved',
    });
    expect((await entries(incident.id)).map((e) => e.type)).not.toContain('guard.overridden');
  });
});
