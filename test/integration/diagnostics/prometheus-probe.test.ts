// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';
import { type LocalServer, sendJson, startServer } from './local-server.js';

const RATE_503 = 'rate(http_requests_total{status="503"}[5m])';
let prometheus: LocalServer;

// A stand-in for Prometheus' /api/v1/query, answering with the real response shapes.
beforeAll(async () => {
  prometheus = await startServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    if (query === RATE_503) {
      return sendJson(res, 200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { job: 'generation-service', status: '503' }, value: [1795000000.123, '27.35'] },
            { metric: { job: 'project-service', status: '503' }, value: [1795000000.123, '0.5'] },
          ],
        },
      });
    }
    if (query === 'absent_metric') {
      return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    }
    if (query === 'scalar(1)') {
      return sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'scalar', result: [1795000000, '1'] },
      });
    }
    if (query === '0/0') {
      return sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1795000000, 'NaN'] }] },
      });
    }
    return sendJson(res, 400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:6: parse error: unexpected "{"',
    });
  });
});
afterAll(() => prometheus.close());

const promProbe = (query: string, extra: object = {}) =>
  probeSchema.parse({
    id: 'http-503-rate',
    title: '503 rate',
    step: 1,
    check: { type: 'prometheus', url: '${PROMETHEUS_URL:-http://127.0.0.1:9}/', query },
    ...extra,
  });
const vars = () => ({ PROMETHEUS_URL: prometheus.url });

describe('prometheus probe', () => {
  it('reads the first sample of the vector and judges it', async () => {
    const result = await runProbe(
      promProbe(RATE_503, { threshold: { op: '>', warn: 5, critical: 20, unit: 'req/s' } }),
      {
        vars: vars(),
      },
    );
    expect(result).toMatchObject({
      verdict: 'critical',
      value: 27.35,
      unit: 'req/s',
      values: { series: 2 },
      threshold: 'warn > 5 req/s, critical > 20 req/s',
      detail: 'first of 2 series: 27.4',
    });
    const sent = new URL(prometheus.requests.at(-1) ?? '', 'http://x');
    expect(sent.pathname).toBe('/api/v1/query');
    expect(sent.searchParams.get('query')).toBe(RATE_503);
  });

  it('reads an empty vector as 0 with "no series"', async () => {
    const result = await runProbe(promProbe('absent_metric', { threshold: { op: '>', critical: 20 } }), {
      vars: vars(),
    });
    expect(result).toMatchObject({ verdict: 'ok', value: 0, detail: 'no series' });
  });

  it('reads a scalar result', async () => {
    expect(await runProbe(promProbe('scalar(1)'), { vars: vars() })).toMatchObject({
      value: 1,
      detail: '1 series: 1',
    });
  });

  it('reports a query error as unknown with its type and message', async () => {
    const result = await runProbe(promProbe('rate({'), { vars: vars() });
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'Prometheus bad_data: invalid parameter "query": 1:6: parse error: unexpected "{"',
    });
    expect(await runProbe(promProbe('0/0'), { vars: vars() })).toMatchObject({
      verdict: 'unknown',
      detail: 'the query returned NaN',
    });
  });

  it('reports an unreachable Prometheus as unknown, not as an outage', async () => {
    const port = await freePort();
    const result = await runProbe(promProbe(RATE_503), {
      vars: { PROMETHEUS_URL: `http://127.0.0.1:${port}` },
    });
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'Prometheus unreachable: connection refused',
    });
  });
});
