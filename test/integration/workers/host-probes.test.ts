import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDiagnosis } from '../../../src/diagnostics/run-diagnosis.js';
import { probeChannel, signProbeRequest } from '../../../src/workers/probe-protocol.js';
import { type LocalServer, sendJson, startServer } from '../diagnostics/local-server.js';
import { createFleet, type Fleet, fleetRunbook } from './fleet-fixture.js';

let target: LocalServer;
beforeAll(async () => {
  target = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
});
afterAll(async () => {
  await target.close();
});

let fleet: Fleet;
afterEach(async () => {
  await fleet?.close();
});

const diagnose = () => {
  const remote = fleet.bot.deps.hostProbes;
  if (!remote) throw new Error('the bot core sends no probe to the hosts');
  return runDiagnosis(fleetRunbook(), { vars: { TARGET_URL: target.url }, remote });
};
const row = async (probeId: string) => (await diagnose()).results.find((r) => r.probeId === probeId);

describe('probes with on:, sent to the workers of their role', () => {
  it('reads each host of the role, and only that role, one line per host', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen'], { memoryPercent: 94, errorLines: 7 });
    await fleet.worker('gen-2', ['gen'], { memoryPercent: 41, errorLines: 1 });
    await fleet.worker('proj-1', ['proj'], { memoryPercent: 63 });

    const diagnosis = await diagnose();
    const byId = new Map(diagnosis.results.map((r) => [r.probeId, r]));
    expect(byId.get('memory')).toMatchObject({
      verdict: 'critical',
      value: 94,
      host: 'gen-1',
      detail: '94 % on gen-1, 41 % on gen-2',
      hosts: [
        { host: 'gen-1', verdict: 'critical', value: 94 },
        { host: 'gen-2', verdict: 'ok', value: 41 },
      ],
    });
    // Each worker read its own file: the one that has its host tag in its variables.
    expect(byId.get('errors')?.detail).toBe('7 lines on gen-1, 1 lines on gen-2');
    expect(byId.get('proj-memory')).toMatchObject({ detail: '63 % on proj-1', hosts: [{ host: 'proj-1' }] });
    // A probe without a role still runs in the bot.
    expect(byId.get('ping')).toMatchObject({ verdict: 'ok' });
    expect(byId.get('ping')?.hosts).toBeUndefined();
    // The scenario names the host whose reading fired it.
    expect(diagnosis.scenarios[0]).toMatchObject({ matched: true, evidence: ['memory 94 % on gen-1 > 85'] });
  });

  it('is an explicit unknown with the fix for a role without a live worker, asking nobody', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen']);
    const result = await row('proj-memory');
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'no worker for role proj: start `npm run worker -- --role proj` on those hosts',
    });
  });

  it('turns a worker that vanished into an unknown line of its own within the probe timeout', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url, { heartbeatMs: 5000 });
    await fleet.worker('gen-1', ['gen'], { memoryPercent: 30 });
    const gone = await fleet.worker('gen-2', ['gen'], { memoryPercent: 30 });
    await gone.vanish();
    // Still registered as live (its last heartbeat is fresh), but nobody answers for it. The bound is
    // the behaviour under test — the probe's 1 s timeout and the reply grace, never a hang — not a speed target.
    const started = performance.now();
    const result = await row('memory');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({
      verdict: 'unknown',
      value: 30,
      detail: '30 % on gen-1, gen-2: no answer within 1 s',
    });
  });

  it('answers with the mismatch when the worker’s runbook differs from the bot’s', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    await fleet.worker('gen-1', ['gen'], { runbook: fleetRunbook({ title: 'Edited on this host only' }) });
    const result = await row('memory');
    expect(result).toMatchObject({ verdict: 'unknown' });
    expect(result?.detail).toMatch(
      /^gen-1: gen-1 has a different fleet runbook \(\w{12}, the bot's is \w{12}\): deploy the same commands\/ there$/,
    );
  });

  it('ignores a request the bot did not sign: a worker measures nothing for it', async () => {
    fleet = await createFleet(inject('redisUrl'), target.url);
    const worker = await fleet.worker('gen-1', ['gen']);
    const replies = fleet.bot.redis.duplicate();
    const heard: string[] = [];
    replies.on('message', (_c, text) => heard.push(text));
    await replies.subscribe(`${fleet.prefix}:probe-replies:forger`);
    const forged = signProbeRequest(
      { ...fleet.bot.signer, mac: () => 'f'.repeat(64) },
      {
        v: 1,
        id: 'forged-1',
        kind: 'fleet',
        probe: 'memory',
        role: 'gen',
        runbook: 'x',
        replyTo: `${fleet.prefix}:probe-replies:forger`,
      },
    );
    expect(await fleet.bot.redis.publish(probeChannel(fleet.prefix, 'gen'), JSON.stringify(forged))).toBe(1);
    await expect.poll(() => worker.logs()).toContain('refused a probe request the bot did not sign');
    expect(heard).toEqual([]);
    replies.disconnect();
  });
});
