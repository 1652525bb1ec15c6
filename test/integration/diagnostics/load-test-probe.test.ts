import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';
import { type LocalServer, sendJson, startServer } from './local-server.js';

let server: LocalServer;
let inFlight = 0;
let maxInFlight = 0;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = await startServer((req, res) => {
    sockets.add(req.socket);
    const n = server.requests.length;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      // Every 50th request fails, as an overloaded service would.
      if (n % 50 === 0) sendJson(res, 503, { detail: 'busy' });
      else sendJson(res, 200, { status: 'ok' });
    }, 2);
  });
});
afterAll(() => server.close());

const loadTest = (url: string, extra: object = {}) =>
  probeSchema.parse({
    id: 'load-test',
    title: 'Load test',
    timeout: '20s',
    check: { type: 'loadtest', url, requests: 200, concurrency: 10 },
    ...extra,
  });

describe('load test probe', () => {
  it('sends exactly the requested number of requests with bounded concurrency over keep-alive', async () => {
    const result = await runProbe(
      loadTest(`${server.url}/api/generation/health`, { threshold: { critical: 2000 } }),
      {
        vars: {},
      },
    );
    expect(server.requests).toHaveLength(200);
    expect(maxInFlight).toBeLessThanOrEqual(10);
    expect(sockets.size).toBeLessThanOrEqual(10);
    expect(result).toMatchObject({ verdict: 'ok', unit: 'ms', threshold: '≥ 2000 ms' });
    expect(result.values).toMatchObject({ requests: 200, failed: 4, success_ratio: 0.98 });
    expect(result.value).toBe(result.values?.p99_ms);
    expect(result.values?.rps).toBeGreaterThan(0);
    expect(result.values?.mean_ms).toBeGreaterThan(0);
    expect(result.detail).toMatch(
      /^Requests per second: [\d.]+ \[#\/sec\] · Time per request: [\d.]+ m?s \(mean\) · 99 %: [\d.]+ m?s · Failed requests: 4 \(200 requests, 10 at a time\) \(first: HTTP 503\)$/,
    );
  });

  it('is critical when every request fails', async () => {
    const port = await freePort();
    const result = await runProbe(loadTest(`http://127.0.0.1:${port}/`), { vars: {} });
    expect(result).toMatchObject({
      verdict: 'critical',
      detail: 'all 200 requests failed (connection refused)',
    });
    expect(result.values?.failed).toBe(200);
  });
});
