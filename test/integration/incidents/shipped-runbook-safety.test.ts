import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningRedisServer, startRedisServer } from '../../../src/dev/start-redis-server.js';
import { cancelAction } from '../../../src/incidents/cancel-action.js';
import { approveAction, type DecisionRequest } from '../../../src/incidents/decide-action.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { previewAction } from '../../../src/incidents/preview-action.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { runApprovedAction } from '../../../src/incidents/run-approved-action.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { Runbook } from '../../../src/runbooks/runbook-schema.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { startSandbox, TOKEN } from '../sandbox/sandbox-harness.js';
import { ALICE, BOB, createFixture, type Fixture, slackUser } from './incident-fixture.js';

/**
 * The shipped 503 runbook through the core, against the sandbox (the admin APIs), a redis-server of
 * this file's own (the stack's Redis: its maxmemory is changed, never the test run's or the
 * machine's 6379) and a fake `nginx` that leaves a mark when it runs.
 */
const seed = (await loadRunbooks('commands')).get('503') as Runbook;
const INITIAL_MAXMEMORY = '123456789';

let stackRedis: RunningRedisServer;
let stackClient: Redis;
let bin: string;
beforeAll(async () => {
  stackRedis = await startRedisServer();
  stackClient = new Redis(stackRedis.url);
  bin = await mkdtemp(join(tmpdir(), 'firebreak-bin-'));
  await writeFile(join(bin, 'nginx'), '#!/bin/sh\ntouch "$(dirname "$0")/nginx-ran"\n');
  await chmod(join(bin, 'nginx'), 0o755);
});
afterAll(async () => {
  stackClient.disconnect();
  await stackRedis.stop();
  await rm(bin, { recursive: true, force: true });
});

let f: Fixture;
let sandbox: Sandbox;
afterEach(async () => {
  await f?.close();
});

async function setup(overrides: Partial<Incident> = {}) {
  const started = await startSandbox({ mode: 'spike' });
  sandbox = started.sandbox;
  await stackClient.config('SET', 'maxmemory', INITIAL_MAXMEMORY);
  f = await createFixture(inject('redisUrl'), {
    runbook: seed,
    vars: {
      GENERATION_SERVICE_URL: started.urls.generation,
      PROJECT_SERVICE_URL: started.urls.project,
      TARGET_REDIS_URL: stackRedis.url,
      ADMIN_TOKEN: TOKEN,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    },
    settings: { secrets: [TOKEN], allowedPrograms: new Set(['nginx']) },
  });
  return f.seedIncident(overrides);
}

/** Approved by as many different people as it takes (ALICE opened the incident), then run once. */
async function approveAndRun(incident: Incident, actionId: string, extra: Partial<DecisionRequest> = {}) {
  let attempt = 0;
  for (const who of [ALICE, BOB]) {
    const result = await approveAction(
      f.deps,
      f.request(incident.id, actionId, { actor: slackUser(who), ...extra }),
    );
    if (result.kind === 'approved') attempt = result.state.attempt ?? 1;
    if (result.kind === 'refused') throw new Error(`${actionId} refused: ${JSON.stringify(result.refusal)}`);
  }
  if (attempt === 0) throw new Error(`${actionId} was not approved by two people`);
  return runApprovedAction(
    f.runner,
    { incidentId: incident.id, actionId, approvedBy: BOB, attempt },
    new AbortController().signal,
  );
}

const maxmemory = async () => (await stackClient.config('GET', 'maxmemory'))[1];
// The guard reads this machine's memory; the test is about the undo, so it overrides when needed.
const anyway = { override: { reason: 'the test host is not the cache host' } };

describe('undo that really undoes', () => {
  it('reads maxmemory before shrinking it, and its undo puts exactly that value back', async () => {
    const incident = await setup();
    const shrunk = await approveAndRun(incident, 's1-shrink-redis-cache', anyway);
    expect(shrunk).toMatchObject({
      status: 'succeeded',
      captured: { PREVIOUS_MAXMEMORY: INITIAL_MAXMEMORY },
    });
    expect(await maxmemory()).toBe(String(512 * 1024 * 1024));
    expect((await f.store.readTimeline(incident.id)).find((e) => e.type === 'action.captured')).toMatchObject(
      {
        actionId: 's1-shrink-redis-cache',
        values: { PREVIOUS_MAXMEMORY: INITIAL_MAXMEMORY },
      },
    );
    const restored = await approveAndRun(incident, 'normalize-redis-maxmemory');
    expect(restored).toMatchObject({ status: 'succeeded' });
    expect(await maxmemory()).toBe(INITIAL_MAXMEMORY);
    // The 503 runbook's recovery checks have not run here: resolving says why (test/integration/verification).
    const reason = { reason: 'the checklist is not what this test is about' };
    expect(await resolveIncident(f.deps, incident.id, slackUser(ALICE), reason)).toMatchObject({
      kind: 'resolved',
    });
  });

  it('refuses to run an undo whose old value was never read, rather than guess one', async () => {
    const incident = await setup();
    // Applied by hand, or by a runbook version without the capture: no value to restore.
    await f.store.transitionAction(incident.id, 's1-shrink-redis-cache', ['offered'], {
      status: 'succeeded',
    });
    const undo = await approveAndRun(incident, 'normalize-redis-maxmemory');
    expect(undo).toMatchObject({
      status: 'failed',
      summary: expect.stringContaining('PREVIOUS_MAXMEMORY was never captured'),
    });
    expect(await maxmemory()).toBe(INITIAL_MAXMEMORY);
  });
});

describe('the staged OpenAI release', () => {
  it('stops at its test when OpenAI is still down, and leaves the breaker open', async () => {
    const incident = await setup();
    sandbox.setMode('upstream-outage');
    expect(await approveAndRun(incident, 's3-openai-circuit-breaker')).toMatchObject({ status: 'succeeded' });
    const release = await approveAndRun(incident, 'normalize-openai-staged');
    expect(release).toMatchObject({
      status: 'failed',
      summary: expect.stringMatching(
        /^step 1\/3 failed: POST 127\.0\.0\.1:\d+\/api\/admin\/circuit-breaker\/openai\/test → 200 in \d+ ms; expected probe\.upstream_healthy = true, got false$/,
      ),
    });
    expect(sandbox.adminCalls.map((c) => c.path)).not.toContain('/api/admin/circuit-breaker/openai/disable');
    expect(sandbox.state().circuitBreakers.providers.openai).toBe('enabled');
  });

  it('holds through its wait when the test passes, and a cancel there leaves the breaker as the test left it', async () => {
    const incident = await setup();
    sandbox.setMode('healthy');
    await approveAndRun(incident, 's3-openai-circuit-breaker');
    await approveAction(f.deps, f.request(incident.id, 'normalize-openai-staged'));
    const running = runApprovedAction(
      { ...f.runner, cancelPollMs: 50 },
      { incidentId: incident.id, actionId: 'normalize-openai-staged', approvedBy: ALICE, attempt: 1 },
      new AbortController().signal,
    );
    await expect
      .poll(() => sandbox.adminCalls.some((c) => c.path.endsWith('/openai/test')), { timeout: 5000 })
      .toBe(true);
    await cancelAction(f.deps, {
      incidentId: incident.id,
      actionId: 'normalize-openai-staged',
      actor: slackUser(BOB),
    });
    expect(await running).toMatchObject({
      status: 'cancelled',
      summary: 'cancelled after 1 of 3 steps',
      cancelRequestedBy: BOB,
    });
    expect(sandbox.state().circuitBreakers.providers.openai).toBe('half-open');
  });
});

describe('dry run', () => {
  const marker = () =>
    stat(join(bin, 'nginx-ran')).then(
      () => true,
      () => false,
    );

  it('runs the whole flow but touches nothing: no admin call, no Redis change, no process', async () => {
    const incident = await setup({ dryRun: true });
    await stackClient.select(1);
    await stackClient.set('temp:kept', 'still here');
    await stackClient.select(0);
    const results = [
      await approveAndRun(incident, 'p1-emergency-rate-limit'),
      await approveAndRun(incident, 'p1-nginx-reload'),
      await approveAndRun(incident, 's1-shrink-redis-cache', anyway),
      await approveAndRun(incident, 'p3-flush-redis-temp'),
    ];
    for (const result of results) expect(result).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(sandbox.adminCalls).toEqual([]);
    expect(await marker()).toBe(false);
    expect(await maxmemory()).toBe(INITIAL_MAXMEMORY);
    await stackClient.select(1);
    expect(await stackClient.get('temp:kept')).toBe('still here');
    await stackClient.select(0);
    // What it would have sent, resolved, with the admin token masked.
    const [limit] = results;
    expect(limit?.summary).toMatch(/^dry run: nothing was changed \(would POST /);
    expect(limit?.excerpt).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/admin\/rate-limit\/emergency/);
    expect(limit?.excerpt).toContain('headers: {"Authorization":"[redacted]"}');
    expect(limit?.excerpt).toContain('body: {"requests_per_minute":100,"burst":10}');
    expect(results[2]?.excerpt).toContain('reads PREVIOUS_MAXMEMORY first');
    expect(JSON.stringify(await f.store.listActions(incident.id))).not.toContain(TOKEN);
    // Nothing was applied, so nothing is left in place: it resolves without force.
    const reason = { reason: 'a dry run: nothing to verify' };
    expect(await resolveIncident(f.deps, incident.id, slackUser(ALICE), reason)).toMatchObject({
      kind: 'resolved',
      stillApplied: [],
    });
  });

  it('and the same actions for real do reach the stack (the checks above would see it)', async () => {
    const incident = await setup();
    expect(await approveAndRun(incident, 'p1-nginx-reload')).toMatchObject({ status: 'succeeded' });
    expect(await marker()).toBe(true);
    await rm(join(bin, 'nginx-ran'));
    await approveAndRun(incident, 'p1-emergency-rate-limit');
    expect(sandbox.adminCalls.map((c) => c.path)).toEqual(['/api/admin/rate-limit/emergency']);
  });

  it('previews one action without approving it: resolved, masked, nothing sent', async () => {
    const incident = await setup();
    const preview = await previewAction(f.deps, {
      incidentId: incident.id,
      actionId: 'p1-emergency-rate-limit',
    });
    expect(preview).toMatchObject({ kind: 'preview', dryRun: false });
    if (preview.kind !== 'preview') throw new Error('refused');
    expect(preview.text).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/admin\/rate-limit\/emergency \(timeout 10s\)$/m,
    );
    expect(preview.text).toContain('"Authorization":"[redacted]"');
    expect(preview.text).not.toContain(TOKEN);
    expect(preview.text).toContain('Needs 1 approval');
    const restart = await previewAction(f.deps, {
      incidentId: incident.id,
      actionId: 'p3-sequential-restart',
    });
    expect(restart.kind === 'preview' && restart.text).toContain(
      'Needs 2 approvals from different people (anyone in the channel), not the requester alone',
    );
    expect(sandbox.adminCalls).toEqual([]);
    expect(await f.store.getAction(incident.id, 'p1-emergency-rate-limit')).toMatchObject({
      status: 'offered',
    });
  });
});
