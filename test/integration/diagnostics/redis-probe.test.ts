// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { describe, expect, inject, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';

const redisProbe = (measure: string, extra: object = {}) =>
  probeSchema.parse({
    id: `redis-${measure.replaceAll('_', '-')}`,
    title: 'Redis',
    step: 3,
    check: { type: 'redis', url: '${REDIS_URL:-redis://127.0.0.1:6379}', measure },
    ...extra,
  });
const vars = () => ({ REDIS_URL: inject('redisUrl') });

describe('redis probe against the private redis-server', () => {
  it('measures the ping round trip', async () => {
    const result = await runProbe(redisProbe('ping', { threshold: { warn: 100, critical: 1000 } }), {
      vars: vars(),
    });
    expect(result).toMatchObject({
      verdict: 'ok',
      unit: 'ms',
      threshold: 'warn ≥ 100 ms, critical ≥ 1000 ms',
    });
    expect(result.value).toBeGreaterThanOrEqual(0);
    expect(result.detail).toMatch(/^PONG in /);
  });

  it('reads a numeric INFO field such as connected_clients', async () => {
    const result = await runProbe(redisProbe('connected_clients', { threshold: { critical: 10_000 } }), {
      vars: vars(),
    });
    expect(result.verdict).toBe('ok');
    // At least the probe's own connection.
    expect(result.value).toBeGreaterThanOrEqual(1);
    expect(result.values?.connected_clients).toBe(result.value);
    expect(result.values).toHaveProperty('used_memory');
    expect(result).not.toHaveProperty('unit');
  });

  it('reports a missing or non-numeric field as unknown', async () => {
    expect(await runProbe(redisProbe('no_such_field'), { vars: vars() })).toMatchObject({
      verdict: 'unknown',
      detail: 'INFO has no field no_such_field',
    });
    const version = await runProbe(redisProbe('redis_mode'), { vars: vars() });
    expect(version).toMatchObject({ verdict: 'unknown', detail: 'redis_mode is not a number: standalone' });
  });

  it('refuses a share of maxmemory when the test server has no limit', async () => {
    const result = await runProbe(redisProbe('used_memory'), { vars: vars() });
    expect(result.value).toBeGreaterThan(0);
    const share = await runProbe(
      probeSchema.parse({
        id: 'redis-memory-used',
        title: 'Redis memory used',
        check: { type: 'redis', url: '${REDIS_URL}', measure: 'used_memory', percentOf: 'maxmemory' },
      }),
      { vars: vars() },
    );
    expect(share).toMatchObject({
      verdict: 'unknown',
      detail: 'maxmemory is 0 (no limit), so no share of it',
    });
  });

  it('reports an unreachable Redis quickly as critical', async () => {
    const port = await freePort();
    const started = performance.now();
    const result = await runProbe(redisProbe('ping', { timeout: '2s' }), {
      vars: { REDIS_URL: `redis://127.0.0.1:${port}` },
    });
    expect(result).toMatchObject({ verdict: 'critical', detail: 'connection refused' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
