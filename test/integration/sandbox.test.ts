import { describe, expect, it } from 'vitest';
import { admin, call, SPIKE_LATENCY_MS, sleep, startSandbox, TOKEN } from './sandbox/sandbox-harness.js';

const RATE_LIMIT = '/api/admin/rate-limit/emergency';
const CIRCUIT_BREAKER = '/api/admin/circuit-breaker/enable';
const RUNBOOK_RATE_LIMIT = { requests_per_minute: 100, burst: 10 };
const RUNBOOK_ENDPOINTS = { endpoints: ['/api/generation/batch', '/api/rag/search'] };
// A delayed answer must have waited most of the configured latency; a fast one well under it.
const SLOW_MS = SPIKE_LATENCY_MS * 0.9;
const FAST_MS = SPIKE_LATENCY_MS * 0.5;

describe('sandbox in healthy mode', () => {
  it('answers every runbook health check like a healthy stack', async () => {
    const { sandbox, urls } = await startSandbox();
    expect(Object.values(urls).every((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);

    expect(await call(`${urls.project}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(`${urls.generation}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const generation = await call(`${urls.generation}/api/generation/health`);
    expect(generation).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(generation.ms).toBeLessThan(FAST_MS);

    const frontend = await call(`${urls.frontend}/`);
    expect(frontend.status).toBe(200);
    expect(frontend.headers.get('content-type')).toContain('text/html');
    expect(frontend.body).toContain('<html');

    const heartbeat = await call(`${urls.chroma}/api/v1/heartbeat`);
    expect(heartbeat.status).toBe(200);
    expect((heartbeat.body as Record<string, number>)['nanosecond heartbeat']).toBeGreaterThan(
      Date.now() * 1e5,
    );

    expect(sandbox.isHealthy()).toBe(true);
    expect(sandbox.adminCalls).toEqual([]);
  });

  it('answers 404 on unknown paths and 405 on a wrong method', async () => {
    const { urls } = await startSandbox();
    expect((await call(`${urls.generation}/nope`)).status).toBe(404);
    const wrongMethod = await call(`${urls.generation}/health`, { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });
});

describe('sandbox in spike mode', () => {
  it('shows the runbook symptoms: failing health checks, slow 503s, a slow frontend', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    expect(sandbox.isHealthy()).toBe(false);
    expect(await call(`${urls.generation}/health`)).toMatchObject({ status: 503 });
    expect(await call(`${urls.project}/health`)).toMatchObject({ status: 503 });

    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call(`${urls.generation}/api/generation/health`)),
    );
    // "Most of the time" is a fixed pattern: three of every four requests fail.
    expect(answers.map((a) => a.status).sort()).toEqual([200, 503, 503, 503]);
    for (const answer of answers) expect(answer.ms).toBeGreaterThanOrEqual(SLOW_MS);

    const frontend = await call(`${urls.frontend}/`);
    expect(frontend.status).toBe(200);
    expect(frontend.ms).toBeGreaterThanOrEqual(SLOW_MS);
  });
});

describe('admin API', () => {
  it('refuses a missing or wrong bearer token with 401 and records the attempt', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    const attempts = [null, 'wrong-token', `${TOKEN}x`, ''];
    for (const token of attempts) {
      const answer = await admin(urls.generation, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT, token });
      expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    }
    // Authorization comes before routing, so an unknown path does not reveal itself either.
    expect((await admin(urls.generation, '/api/admin/nope', { token: null })).status).toBe(401);
    expect((await admin(urls.project, '/api/admin/db/reset-pool', { token: 'wrong' })).status).toBe(401);

    expect(sandbox.state().rateLimit.profile).toBe('default');
    expect(sandbox.adminCalls).toHaveLength(attempts.length + 2);
    expect(sandbox.adminCalls[0]).toMatchObject({
      service: 'generation',
      method: 'POST',
      path: RATE_LIMIT,
      body: RUNBOOK_RATE_LIMIT,
      authorized: false,
      status: 401,
    });
    expect(sandbox.adminCalls.at(-1)).toMatchObject({ service: 'project', authorized: false });
    expect(JSON.stringify(sandbox.adminCalls)).not.toContain(TOKEN);
  });

  it('answers 404 on an unknown admin path and 405 on a wrong method', async () => {
    const { urls } = await startSandbox();
    expect(await admin(urls.generation, '/api/admin/nope')).toMatchObject({ status: 404 });
    // Project service only has the project endpoints.
    expect((await admin(urls.project, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT })).status).toBe(404);
    const wrongMethod = await admin(urls.generation, RATE_LIMIT, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, DELETE');
  });

  it('rejects bad bodies with 400 and a message naming the problem', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    const bad = await admin(urls.generation, RATE_LIMIT, {
      body: { requests_per_minute: 'fast', burst: 10 },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toContain('requests_per_minute');

    const notJson = await admin(urls.generation, RATE_LIMIT, { body: '{"requests_per_minute": 100,' });
    expect(notJson.status).toBe(400);
    expect((notJson.body as { message: string }).message).toContain('not valid JSON');

    expect((await admin(urls.generation, RATE_LIMIT)).status).toBe(400);
    expect((await admin(urls.generation, CIRCUIT_BREAKER, { body: { endpoints: [] } })).status).toBe(400);
    const autoScale = {
      enable: true,
      min_workers: 8,
      max_workers: 2,
      cpu_threshold: 70,
      memory_threshold: 80,
    };
    const inverted = await admin(urls.generation, '/api/admin/workers/auto-scale', { body: autoScale });
    expect(inverted.status).toBe(400);
    expect((inverted.body as { message: string }).message).toContain(
      'min_workers must not exceed max_workers',
    );

    expect(sandbox.state().rateLimit.profile).toBe('default');
    expect(sandbox.adminCalls.map((c) => c.status)).toEqual([400, 400, 400, 400, 400]);
    expect(sandbox.adminCalls[1]?.body).toBe('{"requests_per_minute": 100,');
  });

  it('accepts every runbook admin call with a valid token and records it in state', async () => {
    const { sandbox, urls } = await startSandbox();
    const generationCalls: [string, unknown?][] = [
      ['/api/admin/graceful-restart'],
      ['/api/admin/workers/scale', { target_workers: 2 }],
      ['/api/admin/db/reset-pool'],
      ['/api/admin/jobs/pause-heavy', { job_types: ['batch_generation', 'large_document_rag'] }],
      ['/api/admin/connection-pool/resize', { max_connections: 50, min_connections: 5 }],
      [
        '/api/admin/workers/auto-scale',
        { enable: true, min_workers: 2, max_workers: 8, cpu_threshold: 70, memory_threshold: 80 },
      ],
      ['/api/admin/circuit-breaker/openai/enable'],
      ['/api/admin/circuit-breaker/anthropic/enable'],
      ['/api/admin/circuit-breaker/openai/test'],
      ['/api/admin/circuit-breaker/openai/disable'],
      ['/api/admin/rate-limit/restore-default'],
      ['/api/admin/circuit-breaker/disable-all'],
    ];
    for (const [path, body] of generationCalls) {
      const answer = await admin(urls.generation, path, { body });
      expect(answer, path).toMatchObject({ status: 200, body: { ok: true } });
    }
    const kill = await admin(urls.project, '/api/admin/db/kill-long-queries', {
      body: { max_duration_seconds: 30 },
    });
    expect(kill).toMatchObject({ status: 200, body: { ok: true, killed_queries: 0 } });
    expect((await admin(urls.project, '/api/admin/db/reset-pool')).status).toBe(200);

    expect(sandbox.state()).toMatchObject({
      workers: { target: 2, autoScale: { enabled: true, minWorkers: 2, maxWorkers: 8 } },
      connectionPool: { maxConnections: 50, minConnections: 5 },
      pausedJobTypes: ['batch_generation', 'large_document_rag'],
      gracefulRestarts: 1,
      dbPoolResets: { project: 1, generation: 1 },
      circuitBreakers: { endpoints: [], providers: { openai: 'disabled', anthropic: 'enabled' } },
    });
    expect(sandbox.adminCalls.map((c) => c.path)).toEqual([
      ...generationCalls.map(([path]) => path),
      '/api/admin/db/kill-long-queries',
      '/api/admin/db/reset-pool',
    ]);
  });
});

describe('spike recovery', () => {
  it('does not recover on the emergency rate limit alone', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    const applied = await admin(urls.generation, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT });
    expect(applied).toMatchObject({
      status: 200,
      body: { ok: true, rate_limit: { profile: 'emergency', requests_per_minute: 100, burst: 10 } },
    });
    expect(sandbox.isHealthy()).toBe(false);
    const health = await call(`${urls.generation}/api/generation/health`);
    expect(health.status).toBe(503);
    expect(health.ms).toBeGreaterThanOrEqual(SLOW_MS);
  });

  it('does not recover on the circuit breaker alone', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    expect((await admin(urls.generation, CIRCUIT_BREAKER, { body: RUNBOOK_ENDPOINTS })).status).toBe(200);
    expect(sandbox.isHealthy()).toBe(false);
    expect((await call(`${urls.generation}/health`)).status).toBe(503);
  });

  it('recovers once both P1 traffic controls are applied, and stays recovered when they are lifted', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    await admin(urls.generation, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT });
    const breaker = await admin(urls.generation, CIRCUIT_BREAKER, { body: RUNBOOK_ENDPOINTS });
    expect(breaker.body).toEqual({
      ok: true,
      circuit_breaker: { open_endpoints: RUNBOOK_ENDPOINTS.endpoints },
    });

    expect(sandbox.isHealthy()).toBe(true);
    expect(sandbox.state()).toMatchObject({
      mode: 'spike',
      healthy: true,
      rateLimit: { profile: 'emergency', requestsPerMinute: 100, burst: 10 },
      circuitBreakers: { endpoints: RUNBOOK_ENDPOINTS.endpoints },
    });
    expect(sandbox.state().recoveredAt).not.toBeNull();
    expect(await call(`${urls.generation}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call(`${urls.project}/health`)).status).toBe(200);
    const health = await call(`${urls.generation}/api/generation/health`);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(FAST_MS);

    // The runbook's "정상화 후 조치" lifts the controls; the drained surge must not come back.
    expect((await admin(urls.generation, RATE_LIMIT, { method: 'DELETE' })).status).toBe(200);
    expect((await admin(urls.generation, '/api/admin/circuit-breaker/disable-all')).status).toBe(200);
    expect(sandbox.isHealthy()).toBe(true);
    expect(sandbox.state().rateLimit.profile).toBe('default');
  });

  it('rejects the P1 calls without a token, as the runbook curl for the breaker omits it', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    await admin(urls.generation, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT });
    expect(
      (await admin(urls.generation, CIRCUIT_BREAKER, { body: RUNBOOK_ENDPOINTS, token: null })).status,
    ).toBe(401);
    expect(sandbox.isHealthy()).toBe(false);
  });

  it('forces /health to 200 with force-ok but leaves the latency and the 503s, until it expires', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    // 0.003 minutes = 180 ms, so the test can watch it expire.
    const forced = await admin(urls.generation, '/api/admin/health/force-ok', {
      body: { duration_minutes: 0.003 },
    });
    expect(forced.status).toBe(200);
    expect(await call(`${urls.generation}/health`)).toMatchObject({ status: 200, body: { forced: true } });
    expect(sandbox.isHealthy()).toBe(false);
    const forcedUntil = Date.parse(sandbox.state().forcedHealthUntil ?? '');
    expect(forcedUntil).toBeGreaterThan(Date.now());

    const health = await call(`${urls.generation}/api/generation/health`);
    expect(health.status).toBe(503);
    expect(health.ms).toBeGreaterThanOrEqual(SLOW_MS);
    expect((await call(`${urls.project}/health`)).status).toBe(503);

    await sleep(forcedUntil - Date.now() + 20);
    expect((await call(`${urls.generation}/health`)).status).toBe(503);
  });

  it('resets every mitigation on setMode', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    await admin(urls.generation, RATE_LIMIT, { body: RUNBOOK_RATE_LIMIT });
    await admin(urls.generation, CIRCUIT_BREAKER, { body: RUNBOOK_ENDPOINTS });
    sandbox.setMode('healthy');
    sandbox.setMode('spike');
    expect(sandbox.mode).toBe('spike');
    expect(sandbox.isHealthy()).toBe(false);
    expect(sandbox.state()).toMatchObject({
      recoveredAt: null,
      rateLimit: { profile: 'default' },
      circuitBreakers: { endpoints: [] },
    });
    // The call log is history, not a mitigation.
    expect(sandbox.adminCalls).toHaveLength(2);
  });
});

describe('sandbox control API', () => {
  it('reports state and switches mode over HTTP for the demo', async () => {
    const { sandbox, urls } = await startSandbox();
    expect(await call(`${urls.generation}/__sandbox/state`)).toMatchObject({
      status: 200,
      body: { mode: 'healthy', healthy: true },
    });
    const switched = await call(`${urls.generation}/__sandbox/mode`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'spike' }),
    });
    expect(switched).toMatchObject({ status: 200, body: { mode: 'spike', healthy: false } });
    expect(sandbox.mode).toBe('spike');
    const bad = await call(`${urls.generation}/__sandbox/mode`, { method: 'POST', body: '{"mode":"chaos"}' });
    expect(bad.status).toBe(400);
    expect(sandbox.mode).toBe('spike');
  });
});
