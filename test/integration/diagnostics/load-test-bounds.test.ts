import { afterEach, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { type LocalServer, sendJson, startServer } from './local-server.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An endpoint that answers after `delayMs` (its known latency), 200 unless told. */
async function endpoint(
  delayMs: number,
  answer: (url: string) => [number, Record<string, string>] = () => [200, {}],
) {
  const server = await startServer((req, res) => {
    const timer = setTimeout(() => {
      const [status, headers] = answer(req.url ?? '');
      if (status === 200) return sendJson(res, 200, { status: 'ok' });
      res.writeHead(status, headers).end();
    }, delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  servers.push(server);
  return server;
}

const loadTest = (url: string, requests: number, concurrency: number, timeout = '20s') =>
  probeSchema.parse({
    id: 'load-test',
    title: 'Load test',
    timeout,
    check: { type: 'loadtest', url, requests, concurrency },
  });

describe('the load test against an endpoint of known latency', () => {
  it("reports ab's numbers: no request faster than the endpoint, no more than concurrency allows", async () => {
    const server = await endpoint(20);
    const result = await runProbe(loadTest(`${server.url}/api/generation/health`, 60, 3), { vars: {} });
    expect(server.requests).toHaveLength(60);
    const v = result.values ?? {};
    expect(v.failed).toBe(0);
    expect(v.mean_ms).toBeGreaterThanOrEqual(20);
    expect(v.p50_ms).toBeGreaterThanOrEqual(20);
    expect(v.p99_ms).toBeGreaterThanOrEqual(v.p50_ms ?? 0);
    // Three in flight, each at least 20 ms: at most 150 requests a second.
    expect(v.rps).toBeGreaterThan(0);
    expect(v.rps).toBeLessThanOrEqual(150);
    expect(result.detail).toMatch(
      /^Requests per second: [\d.]+ \[#\/sec\] · .* · Failed requests: 0 \(60 requests, 3 at a time\)$/,
    );
  });

  it('is bounded in time: at the timeout every request in flight is aborted and no more are sent', async () => {
    const server = await endpoint(5000);
    const result = await runProbe(loadTest(server.url, 1000, 4, '300ms'), { vars: {} });
    expect(result).toMatchObject({ verdict: 'critical', detail: 'timed out after 300 ms' });
    expect(server.requests.length).toBeLessThanOrEqual(4);
  });

  it('loads only the configured URL: a redirect is a failure, never followed', async () => {
    const server = await endpoint(1, (url) =>
      url === '/elsewhere' ? [200, {}] : [302, { location: '/elsewhere' }],
    );
    const result = await runProbe(loadTest(`${server.url}/api/generation/health`, 10, 2), { vars: {} });
    expect(result).toMatchObject({ verdict: 'critical', detail: 'all 10 requests failed (HTTP 302)' });
    expect(server.requests.every((url) => url === '/api/generation/health')).toBe(true);
  });
});
