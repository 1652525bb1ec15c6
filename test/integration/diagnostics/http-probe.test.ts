// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';
import { type LocalServer, sendJson, startServer } from './local-server.js';

let server: LocalServer;
const seenHeaders: Array<string | undefined> = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/health':
        seenHeaders.push(req.headers.authorization);
        return sendJson(res, 200, { status: 'ok' });
      case '/unavailable':
        return sendJson(res, 503, { detail: 'upstream timeout' });
      case '/slow':
        setTimeout(() => sendJson(res, 200, { status: 'ok' }), 1500).unref();
        return;
      case '/moved':
        res.writeHead(302, { location: 'http://example.invalid/health' });
        return res.end();
      case '/v1/models':
        return sendJson(res, 200, { object: 'list', data: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
      case '/status.json':
        return sendJson(res, 200, { status: { indicator: 'major', description: 'Partial outage' } });
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('fine');
      default:
        // /hang: accept the request and never answer.
        return;
    }
  });
});
afterAll(() => server.close());

const httpProbe = (check: object, extra: object = {}) =>
  probeSchema.parse({
    id: 'generation-health',
    title: 'Generation service',
    step: 1,
    check: { type: 'http', ...check },
    ...extra,
  });
const vars = () => ({ GENERATION_SERVICE_URL: server.url, OPENAI_API_KEY: 'sk-test-secret' });

describe('http probe against a local server', () => {
  it('measures the latency of a 2xx and judges it against the threshold', async () => {
    const result = await runProbe(
      httpProbe(
        { url: '${GENERATION_SERVICE_URL}/health', headers: { Authorization: 'Bearer ${OPENAI_API_KEY}' } },
        { threshold: { warn: 1000, critical: 2000, unit: 'ms' } },
      ),
      { vars: vars() },
    );
    expect(result).toMatchObject({
      probeId: 'generation-health',
      step: 1,
      verdict: 'ok',
      unit: 'ms',
      threshold: 'warn ≥ 1000 ms, critical ≥ 2000 ms',
    });
    expect(result.value).toBeLessThan(1000);
    expect(result.detail).toMatch(/^HTTP 200 in \d+(\.\d)? ms$/);
    expect(seenHeaders.at(-1)).toBe('Bearer sk-test-secret');
    expect(JSON.stringify(result)).not.toContain('sk-test-secret');
  });

  it('marks a 503 critical whatever its latency', async () => {
    const result = await runProbe(httpProbe({ url: `${server.url}/unavailable` }), { vars: {} });
    expect(result.verdict).toBe('critical');
    expect(result.detail).toMatch(/^HTTP 503 in \d/);
    expect(result.value).toBeTypeOf('number');
  });

  it('does not follow a redirect', async () => {
    const result = await runProbe(httpProbe({ url: `${server.url}/moved` }), { vars: {} });
    expect(result).toMatchObject({ verdict: 'critical' });
    expect(result.detail).toMatch(/^HTTP 302 in .* \(redirect not followed\)$/);
  });

  it('turns a slow answer into a critical timeout', async () => {
    const result = await runProbe(httpProbe({ url: `${server.url}/slow` }, { timeout: '500ms' }), {
      vars: {},
    });
    expect(result).toMatchObject({ verdict: 'critical', detail: 'timed out after 500 ms' });
    expect(result).not.toHaveProperty('value');
  });

  it('returns within its timeout from a server that never answers', async () => {
    const started = performance.now();
    const result = await runProbe(httpProbe({ url: `${server.url}/hang` }, { timeout: '300ms' }), {
      vars: {},
    });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ verdict: 'critical', detail: 'timed out after 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const result = await runProbe(httpProbe({ url: `http://127.0.0.1:${port}/health` }), { vars: {} });
    expect(result).toMatchObject({ verdict: 'critical', detail: 'connection refused' });
  });

  it('reads a number from the JSON body, keeping the latency aside', async () => {
    const result = await runProbe(
      httpProbe(
        { url: `${server.url}/v1/models`, measure: 'json', jsonPath: 'data.length' },
        { threshold: { op: '<', critical: 1 } },
      ),
      { vars: {} },
    );
    expect(result).toMatchObject({ verdict: 'ok', value: 3, threshold: '< 1' });
    expect(result.values?.latency_ms).toBeTypeOf('number');
    expect(result.detail).toMatch(/^HTTP 200 in .*, data\.length = 3$/);
    expect(result).not.toHaveProperty('unit');

    const missing = await runProbe(
      httpProbe({ url: `${server.url}/v1/models`, measure: 'json', jsonPath: 'total' }),
      {
        vars: {},
      },
    );
    expect(missing).toMatchObject({ verdict: 'unknown' });
    expect(missing.detail).toMatch(/no number at total$/);
    const text = await runProbe(httpProbe({ url: `${server.url}/text`, measure: 'json', jsonPath: 'x' }), {
      vars: {},
    });
    expect(text.detail).toMatch(/body is not JSON$/);
  });

  it('maps a word to a number with valueMap', async () => {
    const valueMap = { none: 0, minor: 1, major: 2, critical: 3 };
    const status = await runProbe(
      httpProbe(
        { url: `${server.url}/status.json`, measure: 'json', jsonPath: 'status.indicator', valueMap },
        { threshold: { warn: 1, critical: 2 } },
      ),
      { vars: {} },
    );
    expect(status).toMatchObject({ verdict: 'critical', value: 2 });
    expect(status.detail).toMatch(/, status\.indicator = major \(2\)$/);
    const unmapped = await runProbe(
      httpProbe({
        url: `${server.url}/status.json`,
        measure: 'json',
        jsonPath: 'status.description',
        valueMap,
      }),
      { vars: {} },
    );
    expect(unmapped.verdict).toBe('unknown');
    expect(unmapped.detail).toMatch(/status\.description = "Partial outage" is not in valueMap$/);
  });

  it('reports an unset variable as unknown instead of throwing', async () => {
    const result = await runProbe(httpProbe({ url: '${NOT_SET_ANYWHERE}/health' }), { vars: {} });
    expect(result.verdict).toBe('unknown');
    expect(result.detail).toMatch(/NOT_SET_ANYWHERE is not set/);
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await runProbe(httpProbe({ url: `${server.url}/hang` }, { timeout: '10s' }), {
      vars: {},
      signal: controller.signal,
    });
    expect(result).toMatchObject({ verdict: 'unknown', detail: 'cancelled before it finished' });
    expect(result.durationMs).toBeLessThan(1000);
  });
});
