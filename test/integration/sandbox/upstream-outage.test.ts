import { describe, expect, it } from 'vitest';
import { admin, call, SPIKE_LATENCY_MS, startSandbox } from './sandbox-harness.js';

const breaker = (provider: string, action: string) => `/api/admin/circuit-breaker/${provider}/${action}`;

describe('upstream stand-in', () => {
  it('lists models for any bearer key and refuses a request without one', async () => {
    const { urls } = await startSandbox();
    const models = await call(`${urls.upstream}/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(models.status).toBe(200);
    expect(models.body).toMatchObject({
      object: 'list',
      data: expect.arrayContaining([expect.objectContaining({ id: 'gpt-4o' })]),
    });
    expect((await call(`${urls.upstream}/v1/models`)).status).toBe(401);
    expect((await call(`${urls.upstream}/v1/models`, { headers: { authorization: 'Bearer ' } })).status).toBe(
      401,
    );
    expect(await call(`${urls.upstream}/api/v2/status.json`)).toMatchObject({
      status: 200,
      body: { status: { description: 'All Systems Operational' } },
    });
  });
});

describe('sandbox in upstream-outage mode', () => {
  it('fails upstream slowly and degrades generation until both provider breakers are enabled', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'upstream-outage' });
    expect(await call(`${urls.upstream}/api/v2/status.json`)).toMatchObject({
      body: { status: { description: 'Major Outage' } },
    });
    const models = await call(`${urls.upstream}/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(models.status).toBe(503);
    expect(models.ms).toBeGreaterThanOrEqual(SPIKE_LATENCY_MS * 0.9);
    expect((await call(`${urls.generation}/api/generation/health`)).status).toBe(503);
    // The project service does not call the LLMs.
    expect((await call(`${urls.project}/health`)).status).toBe(200);

    expect((await admin(urls.generation, breaker('openai', 'enable'))).status).toBe(200);
    expect(sandbox.isHealthy()).toBe(false);
    expect((await call(`${urls.generation}/api/generation/health`)).status).toBe(503);

    expect((await admin(urls.generation, breaker('anthropic', 'enable'))).status).toBe(200);
    expect(sandbox.isHealthy()).toBe(true);
    const health = await call(`${urls.generation}/api/generation/health`);
    expect(health).toMatchObject({ status: 200, body: { fallback: true } });
    // Not waiting on the failing upstream: faster than the upstream's own slow failure above (a
    // relative check, so a busy machine slows both sides alike).
    expect(health.ms).toBeLessThan(models.ms);

    // A probe during the outage fails, so the breaker stays enabled, as a real half-open test would.
    const probe = await admin(urls.generation, breaker('openai', 'test'));
    expect(probe.body).toMatchObject({ breaker: 'enabled', probe: { upstream_healthy: false } });
    expect(sandbox.isHealthy()).toBe(true);

    // The outage persists, so lifting a breaker too early degrades the service again.
    await admin(urls.generation, breaker('openai', 'disable'));
    expect(sandbox.isHealthy()).toBe(false);
  });
});
