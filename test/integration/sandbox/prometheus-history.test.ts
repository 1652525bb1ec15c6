import { describe, expect, it } from 'vitest';
import { call, sleep, startSandbox } from './sandbox-harness.js';

type Matrix = {
  status: string;
  data: { resultType: string; result: { metric: object; values: [number, string][] }[] };
};
type Vector = { status: string; data: { result: { value: [number, string] }[] } };

describe('the sandbox prometheus remembers: time= and query_range', () => {
  it('answers a range query with the spike rate at every step, and an increase at a past time', async () => {
    const { urls } = await startSandbox({ mode: 'spike' });
    const started = Date.now() / 1000;
    await sleep(2200);
    const end = Date.now() / 1000 - 0.1;
    const query = encodeURIComponent('sum(rate(http_requests_total{status="503"}[1m]))');
    const range = await call(
      `${urls.prometheus}/api/v1/query_range?query=${query}&start=${end - 1}&end=${end}&step=0.5s`,
    );
    const matrix = range.body as Matrix;
    expect(matrix.data.resultType).toBe('matrix');
    const values = matrix.data.result[0]?.values ?? [];
    expect(values.map(([t]) => t)).toEqual([end - 1, end - 0.5, end]);
    // The spike sends 40 503s a second (the runbook's alert fires above 20).
    for (const [, v] of values) expect(Number(v)).toBeGreaterThan(20);

    const increase = encodeURIComponent('sum(increase(http_requests_total{status="503"}[1s]))');
    const at = await call(`${urls.prometheus}/api/v1/query?query=${increase}&time=${end}`);
    const [sample] = (at.body as Vector).data.result;
    expect(sample?.value[0]).toBe(end);
    expect(Number(sample?.value[1])).toBeGreaterThan(20);
    expect(Number(sample?.value[1])).toBeLessThan(60);
    // Before the sandbox started nothing had happened.
    const before = await call(`${urls.prometheus}/api/v1/query?query=${increase}&time=${started - 60}`);
    expect(Number((before.body as Vector).data.result[0]?.value[1])).toBe(0);
  });

  it('refuses what Prometheus refuses', async () => {
    const { urls } = await startSandbox({ mode: 'healthy' });
    const q = encodeURIComponent('sum(rate(http_requests_total[1m]))');
    const backwards = await call(`${urls.prometheus}/api/v1/query_range?query=${q}&start=10&end=5&step=1`);
    expect(backwards.status).toBe(400);
    const tooMany = await call(`${urls.prometheus}/api/v1/query_range?query=${q}&start=0&end=100000&step=1`);
    expect(tooMany.body).toMatchObject({ status: 'error', error: expect.stringContaining('11,000 points') });
    const badTime = await call(`${urls.prometheus}/api/v1/query?query=${q}&time=soon`);
    expect(badTime.status).toBe(400);
  });
});
