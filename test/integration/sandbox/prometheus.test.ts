import { describe, expect, it } from 'vitest';
import { admin, call, HISTORY_MS, sleep, startSandbox } from './sandbox-harness.js';

const RUNBOOK_QUERY = 'rate(http_requests_total{status="503"}[5m])';
const RATIO_QUERY = 'sum(rate(http_requests_total{status="503"}[5m])) / sum(rate(http_requests_total[5m]))';
const ALERT_THRESHOLD = 20;

interface VectorAnswer {
  status: 'success';
  data: { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(prometheusUrl: string, promql: string): Promise<VectorAnswer> {
  const answer = await call(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  expect(answer.status, promql).toBe(200);
  return answer.body as VectorAnswer;
}

function onlyValue(answer: VectorAnswer): number {
  expect(answer.data.result).toHaveLength(1);
  const [time, value] = answer.data.result[0]?.value ?? [];
  expect(typeof time).toBe('number');
  expect(typeof value).toBe('string');
  return Number(value);
}

async function recover(generationUrl: string): Promise<void> {
  await admin(generationUrl, '/api/admin/rate-limit/emergency', {
    body: { requests_per_minute: 100, burst: 10 },
  });
  await admin(generationUrl, '/api/admin/circuit-breaker/enable', {
    body: { endpoints: ['/api/rag/search'] },
  });
}

describe('generation /metrics', () => {
  it('serves the Prometheus text format with counters the traffic ticker moves', async () => {
    const { urls } = await startSandbox({ mode: 'spike' });
    await sleep(120);
    const metrics = await call(`${urls.generation}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');

    const text = metrics.body as string;
    const types = new Map<string, string>();
    const samples = new Map<string, number>();
    for (const line of text.split('\n').filter((l) => l !== '')) {
      const type = /^# TYPE (\w+) (counter|gauge|untyped)$/.exec(line);
      if (type) types.set(type[1] ?? '', type[2] ?? '');
      if (line.startsWith('#')) continue;
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_]\w*="[^"]*",?)*\})? (-?\d+(?:\.\d+)?)$/.exec(
        line,
      );
      expect(sample, line).not.toBeNull();
      expect(types.has(sample?.[1] ?? ''), `TYPE before ${line}`).toBe(true);
      samples.set(`${sample?.[1]}${sample?.[2] ?? ''}`, Number(sample?.[3]));
    }
    expect(types.get('http_requests_total')).toBe('counter');
    const unavailable = samples.get('http_requests_total{status="503"}') ?? 0;
    const ok = samples.get('http_requests_total{status="200"}') ?? 0;
    expect(unavailable).toBeGreaterThan(ok);
    expect(unavailable).toBeGreaterThanOrEqual(3);
    // A plain spike loads the host into the runbook's warning band (CPU 70–80 %), not past its danger line.
    expect(samples.get('process_cpu_percent')).toBeGreaterThan(70);
    expect(samples.get('process_cpu_percent')).toBeLessThanOrEqual(80);
    // The host's node_exporter metrics, named as node_exporter names them.
    expect(types.get('node_cpu_seconds_total')).toBe('counter');
    expect(types.get('node_netstat_Tcp_CurrEstab')).toBe('untyped');
    expect(samples.get('node_cpu_seconds_total{cpu="3",mode="idle"}')).toBeGreaterThan(0);
    expect(samples.get('node_netstat_Tcp_CurrEstab')).toBe(2400);
    const total = samples.get('node_memory_MemTotal_bytes') ?? 0;
    const available = samples.get('node_memory_MemAvailable_bytes') ?? 0;
    expect(Math.round((1 - available / total) * 100)).toBe(82);

    await sleep(60);
    const later = (await call(`${urls.generation}/metrics`)).body as string;
    const laterUnavailable = Number(/http_requests_total\{status="503"\} (\d+)/.exec(later)?.[1]);
    expect(laterUnavailable).toBeGreaterThan(unavailable);
  });
});

describe('prometheus stand-in', () => {
  it('answers the runbook query in the real response shape, above the alert threshold during a spike', async () => {
    const { urls } = await startSandbox({ mode: 'spike' });
    const answer = await query(urls.prometheus, RUNBOOK_QUERY);
    expect(answer).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
    expect(answer.data.result[0]?.metric).toMatchObject({ job: 'generation-service', status: '503' });
    expect(answer.data.result[0]?.metric).not.toHaveProperty('__name__');
    expect(onlyValue(answer)).toBeGreaterThan(ALERT_THRESHOLD);
    expect(onlyValue(await query(urls.prometheus, RATIO_QUERY))).toBeGreaterThan(0.5);
    expect(onlyValue(await query(urls.prometheus, 'sum(rate(http_requests_total[5m]))'))).toBeGreaterThan(40);
    expect(onlyValue(await query(urls.prometheus, 'up{job="generation-service"}'))).toBe(1);
  });

  it('evaluates the runbook alert rules as filters', async () => {
    const { urls } = await startSandbox({ mode: 'spike' });
    const firing = await query(urls.prometheus, `${RUNBOOK_QUERY} > ${ALERT_THRESHOLD}`);
    expect(onlyValue(firing)).toBeGreaterThan(ALERT_THRESHOLD);
    expect((await query(urls.prometheus, 'up{job="generation-service"} == 0')).data.result).toEqual([]);
  });

  it('ignores whitespace, accepts POST forms and shows the recovery within the history window', async () => {
    const { urls } = await startSandbox({ mode: 'spike' });
    await recover(urls.generation);
    await sleep(HISTORY_MS + 200);

    const spaced = await query(urls.prometheus, ' rate( http_requests_total{ status = "503" }[5m] ) ');
    expect(onlyValue(spaced)).toBeLessThan(1);
    const posted = await call(`${urls.prometheus}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: `(${RATIO_QUERY}) * 100` }),
    });
    expect(posted.status).toBe(200);
    // The runbook's recovery check: 503 ratio under 1 %.
    expect(onlyValue(posted.body as VectorAnswer)).toBeLessThan(1);
  });

  it('answers the usual node_exporter queries from the simulated host that its /proc shows', async () => {
    const { urls } = await startSandbox({ mode: 'resource-exhaustion' });
    await sleep(50);
    // node_exporter's formula counts iowait as busy: 94 % busy plus 3 % iowait.
    const cpu = '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m])))';
    expect(onlyValue(await query(urls.prometheus, cpu))).toBeCloseTo(97, 1);
    const byInstance = await query(
      urls.prometheus,
      '100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)',
    );
    expect(Object.keys(byInstance.data.result[0]?.metric ?? {})).toEqual(['instance']);
    expect(onlyValue(byInstance)).toBeCloseTo(97, 1);
    const memory = '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)';
    expect(onlyValue(await query(urls.prometheus, memory))).toBeCloseTo(91, 1);
    expect(onlyValue(await query(urls.prometheus, 'node_netstat_Tcp_CurrEstab'))).toBe(700);
    expect(onlyValue(await query(urls.prometheus, 'count(node_cpu_seconds_total{mode="idle"})'))).toBe(4);
    // Four CPUs' seconds per second, split over the eight modes.
    const modes = await query(urls.prometheus, 'sum(rate(node_cpu_seconds_total[1m])) by (mode)');
    expect(modes.data.result.map((r) => r.metric.mode)).toHaveLength(8);
    const perSecond = modes.data.result.reduce((sum, r) => sum + Number(r.value[1]), 0);
    expect(perSecond).toBeCloseTo(4, 3);
  });

  it('returns an empty vector for a selector that matches nothing', async () => {
    const { urls } = await startSandbox();
    expect((await query(urls.prometheus, 'up{job="nope"}')).data.result).toEqual([]);
  });

  it('answers queries it does not understand with the real bad_data error shape', async () => {
    const { urls } = await startSandbox();
    const promql = 'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m]))';
    const answer = await call(`${urls.prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
    expect(answer).toMatchObject({
      status: 400,
      body: {
        status: 'error',
        errorType: 'bad_data',
        error: `sandbox prometheus does not understand: ${promql}`,
      },
    });
    const empty = await call(`${urls.prometheus}/api/v1/query`);
    expect(empty).toMatchObject({ status: 400, body: { status: 'error', errorType: 'bad_data' } });
  });
});
