import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApprovalSigner } from '../../../src/incidents/approval-signature.js';
import { approveAction } from '../../../src/incidents/decide-action.js';
import { runHostTurn } from '../../../src/workers/host-turn-worker.js';
import { watchOnce } from '../../../src/workers/watch-workers.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { ALICE, createFleet, type Fleet, fleetRunbook } from './fleet-fixture.js';

/** The target records every call; it never answers a worker named `*-hangs`. */
let target: LocalServer;
beforeAll(async () => {
  target = await startServer((req, res) => {
    if (req.url?.endsWith('-hangs')) return;
    sendJson(res, 200, { ok: true, path: req.url });
  });
});
afterAll(async () => {
  await target.close();
});

let fleet: Fleet;
afterEach(async () => {
  await fleet?.close();
  // Each test counts the calls of its own workers only.
  (target.requests as string[]).splice(0);
});

const calls = (prefix: string) => target.requests.filter((r) => r.startsWith(prefix));
const approve = (incidentId: string, actionId: string, deps = fleet.bot.deps) =>
  approveAction(deps, { incidentId, actionId, actor: { id: ALICE, via: 'slack' }, seenAttempts: 0 });
const state = (incidentId: string, actionId: string) => fleet.bot.deps.store.getAction(incidentId, actionId);
const settled = async (incidentId: string, actionId: string) => {
  await expect
    .poll(async () => (await state(incidentId, actionId))?.status, { timeout: 10_000 })
    .toMatch(/^(succeeded|failed)$/);
  return state(incidentId, actionId);
};
const entries = async (incidentId: string) =>
  (await fleet.bot.deps.store.readTimeline(incidentId)).filter((e) => e.type === 'action.worker');
const watch = () =>
  watchOnce(fleet.bot.deps, { registry: fleet.bot.registry, redis: fleet.bot.redis, prefix: fleet.prefix });

describe('actions with on:, run by the workers of their role', () => {
  it('sends each action to its own role’s worker, and says which host ran it', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    await fleet.worker('proj-1', ['proj']);
    await fleet.worker('exec-1', [], { unplaced: true });
    const incident = await fleet.seedIncident();
    for (const id of ['gen-one', 'proj-one', 'plain'])
      expect((await approve(incident.id, id)).kind).toBe('approved');

    expect(await settled(incident.id, 'gen-one')).toMatchObject({
      status: 'succeeded',
      runner: { name: 'gen-1' },
    });
    expect(await settled(incident.id, 'proj-one')).toMatchObject({
      status: 'succeeded',
      runner: { name: 'proj-1' },
    });
    expect(await settled(incident.id, 'plain')).toMatchObject({
      status: 'succeeded',
      runner: { name: 'exec-1' },
    });
    expect(calls('/one/')).toEqual(['/one/gen-1']);
    expect(calls('/proj/')).toEqual(['/proj/proj-1']);
  });

  it('runs an each action on every host of its role, one after the other, each result on the state', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-2', ['gen']);
    await fleet.worker('gen-1', ['gen']);
    await fleet.worker('proj-1', ['proj']);
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'gen-each');

    expect(await settled(incident.id, 'gen-each')).toMatchObject({
      status: 'succeeded',
      summary: 'succeeded on all 2 gen hosts, one after the other: gen-1, gen-2',
      hosts: [
        { host: 'gen-1', status: 'succeeded', summary: expect.stringMatching(/\/each\/gen-1 → 200/) },
        { host: 'gen-2', status: 'succeeded', summary: expect.stringMatching(/\/each\/gen-2 → 200/) },
      ],
    });
    expect(calls('/each/')).toEqual(['/each/gen-1', '/each/gen-2']);
    expect((await entries(incident.id)).map((e) => `${e.what} ${e.host}`)).toEqual([
      'running gen-1',
      'succeeded gen-1',
      'running gen-2',
      'succeeded gen-2',
    ]);
  });

  it('stops an each action at a host that died before its turn, and withdraws that turn', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url, { heartbeatMs: 500 });
    await fleet.worker('gen-1', ['gen']);
    const gone = await fleet.worker('gen-2', ['gen']);
    const late = await fleet.worker('gen-3', ['gen']);
    await gone.vanish();
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'gen-each');
    const end = await settled(incident.id, 'gen-each');
    expect(end).toMatchObject({
      status: 'failed',
      summary:
        'failed on gen-2: gen-2 stopped (no heartbeat); its turn did not start there; done on gen-1; not run on gen-3',
      hosts: [
        { host: 'gen-1', status: 'succeeded' },
        { host: 'gen-2', status: 'failed' },
        { host: 'gen-3', status: 'skipped' },
      ],
    });
    expect(calls('/each/')).toEqual(['/each/gen-1']);
    // A turn that comes due no more is refused, whoever delivers it.
    const turn = {
      incidentId: incident.id,
      actionId: 'gen-each',
      approvedBy: ALICE,
      attempt: 1,
      host: 'gen-3',
    };
    const deps = {
      ...late.core.runner,
      signer: late.core.signer,
      self: { name: 'gen-3', instance: late.hands.info.instance },
    };
    expect(await runHostTurn(deps, 'gen', turn, new AbortController().signal)).toMatchObject({
      outcome: 'failed',
      summary: 'not run: the turn on gen-3 is not due (the action is failed)',
    });
    expect(calls('/each/')).toEqual(['/each/gen-1']);
  });

  it('waits visibly when its role has no live worker, and runs when one appears', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'proj-one');
    await watch();
    await watch();
    expect(await state(incident.id, 'proj-one')).toMatchObject({
      status: 'queued',
      waiting: {
        attempt: 1,
        text: 'no live worker for role proj: start `npm run worker -- --role proj` on those hosts',
      },
    });
    // Once in the thread, however often the bot looks.
    expect((await entries(incident.id)).map((e) => e.what)).toEqual(['waiting']);

    await fleet.worker('proj-1', ['proj']);
    expect(await settled(incident.id, 'proj-one')).toMatchObject({
      status: 'succeeded',
      runner: { name: 'proj-1' },
    });
    expect(calls('/proj/')).toContain('/proj/proj-1');
  });

  it('fails a running action within seconds when its worker dies, as outcome unknown', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url, { heartbeatMs: 100 });
    const doomed = await fleet.worker('gen-hangs', ['gen']);
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'gen-one');
    await expect
      .poll(async () => (await state(incident.id, 'gen-one'))?.status, { timeout: 5000 })
      .toBe('running');
    await doomed.vanish();
    await expect
      .poll(
        async () => {
          await watch();
          return (await state(incident.id, 'gen-one'))?.status;
        },
        { timeout: 5000, interval: 100 },
      )
      .toBe('failed');
    expect((await state(incident.id, 'gen-one'))?.summary).toMatch(
      /^the worker gen-hangs stopped \(no heartbeat for [\d.]+ (ms|s)\) while running this action: its outcome is unknown/,
    );
  });
});

describe('trust: a worker runs only what the bot signed, from its own runbook', () => {
  it('refuses a job written straight into Redis for an action nobody approved, and says so in the thread', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const incident = await fleet.seedIncident();
    await fleet.bot.actionQueues
      .for('gen')
      .add(
        'run',
        { incidentId: incident.id, actionId: 'gen-one', approvedBy: ALICE, attempt: 1 },
        { jobId: 'forged-1' },
      );
    await expect.poll(async () => (await entries(incident.id)).length, { timeout: 5000 }).toBe(1);
    expect((await entries(incident.id))[0]).toMatchObject({
      what: 'refused',
      host: 'gen-1',
      text: expect.stringContaining('nobody approved attempt 1 of this action'),
    });
    expect(await state(incident.id, 'gen-one')).toMatchObject({ status: 'offered' });
    expect(calls('/one/')).toEqual([]);
  });

  it('signs every approver of an action that takes two, and the worker runs it', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const incident = await fleet.seedIncident();
    expect((await approve(incident.id, 'gen-two')).kind).toBe('approval-recorded');
    const second = await approveAction(fleet.bot.deps, {
      incidentId: incident.id,
      actionId: 'gen-two',
      actor: { id: 'U0BOB00002', via: 'slack' },
      seenAttempts: 0,
    });
    expect(second.kind).toBe('approved');
    expect(await settled(incident.id, 'gen-two')).toMatchObject({
      status: 'succeeded',
      signature: { approvers: [ALICE, 'U0BOB00002'] },
    });
    expect(calls('/two/')).toEqual(['/two/gen-1']);
  });

  it('refuses an approval signed with another key, or altered in Redis, and fails that attempt', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const incident = await fleet.seedIncident();
    const wrongKey = {
      ...fleet.bot.deps,
      signer: createApprovalSigner('another key, not the workers’ one at all'),
    };
    await approve(incident.id, 'gen-one', wrongKey);
    expect(await settled(incident.id, 'gen-one')).toMatchObject({
      status: 'failed',
      summary: expect.stringMatching(/^not run: its approval carries no valid signature from Firebreak/),
    });

    // A genuine approval whose approvers someone rewrote in Redis no longer verifies either.
    await fleet.worker('gen-2', ['gen']);
    const other = await fleet.seedIncident();
    await fleet.bot.deps.store.transitionAction(other.id, 'proj-one', ['offered'], {
      status: 'queued',
      decidedBy: 'U0MALLORY1',
      attempt: 1,
      signature: { approvers: ['U0MALLORY1'], runbook: 'whatever', mac: 'a'.repeat(64) },
    });
    await fleet.worker('proj-1', ['proj']);
    await fleet.bot.actionQueues
      .for('proj')
      .add('run', { incidentId: other.id, actionId: 'proj-one', approvedBy: 'U0MALLORY1', attempt: 1 });
    expect(await settled(other.id, 'proj-one')).toMatchObject({ status: 'failed' });
    expect((await entries(other.id)).map((e) => e.what)).toEqual(['refused']);
    expect(calls('/one/')).toEqual([]);
    expect(calls('/proj/')).toEqual([]);
  });

  it('refuses a job put on another role’s queue', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'proj-one');
    await fleet.bot.actionQueues
      .for('gen')
      .add('run', { incidentId: incident.id, actionId: 'proj-one', approvedBy: ALICE, attempt: 1 });
    await expect
      .poll(async () => (await entries(incident.id)).map((e) => e.what), { timeout: 5000 })
      .toContain('refused');
    expect((await entries(incident.id)).find((e) => e.what === 'refused')?.text).toMatch(
      /arrived in the queue of role gen, but this action runs on role proj/,
    );
    expect(calls('/proj/')).toEqual([]);
  });

  it('reports a runbook that differs from the bot’s instead of running', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen'], { runbook: fleetRunbook({ title: 'An older copy' }) });
    const incident = await fleet.seedIncident();
    await approve(incident.id, 'gen-one');
    const end = await settled(incident.id, 'gen-one');
    expect(end?.status).toBe('failed');
    expect(end?.summary).toMatch(
      /^not run: the fleet runbook on gen-1 \(\w{12}\) differs from the bot’s \(\w{12}\) — deploy the same runbooks/,
    );
    expect((await entries(incident.id)).map((e) => e.what)).toEqual(['refused']);
    expect(calls('/one/')).toEqual([]);
  });
});
