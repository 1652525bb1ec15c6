import axios from 'axios';
import { describeNetworkError } from '../diagnostics/describe-error.js';
import { parseSampleValue } from '../diagnostics/probes/measure-prometheus.js';

/** One point of a series: unix seconds and the value. */
export type Point = [seconds: number, value: number];

export type PromAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

interface ApiResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

async function get(base: string, path: string, params: Record<string, string>, timeoutMs: number) {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  try {
    const response = await axios.get<ApiResponse>(url.toString(), {
      timeout: timeoutMs,
      validateStatus: () => true,
      proxy: false,
      maxRedirects: 0,
    });
    const body = typeof response.data === 'object' && response.data !== null ? response.data : {};
    if (body.status === 'error') {
      return {
        ok: false as const,
        error: `Prometheus ${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`,
      };
    }
    if (body.status !== 'success' || !body.data) {
      return { ok: false as const, error: `Prometheus answered HTTP ${response.status} without a result` };
    }
    return { ok: true as const, data: body.data };
  } catch (err) {
    return { ok: false as const, error: `Prometheus unreachable: ${describeNetworkError(err)}` };
  }
}

/** An instant query evaluated at `at`: the sum of its series (the impact queries are sums already). */
export async function queryAt(
  base: string,
  query: string,
  at: string,
  timeoutMs = 10_000,
): Promise<PromAnswer<number | undefined>> {
  const answer = await get(base, '/api/v1/query', { query, time: String(seconds(at)) }, timeoutMs);
  if (!answer.ok) return answer;
  const result = Array.isArray(answer.data.result) ? (answer.data.result as { value?: unknown[] }[]) : [];
  if (result.length === 0) return { ok: true, value: undefined };
  const values = result.map((s) => parseSampleValue(s.value?.[1]));
  if (values.some((v) => !Number.isFinite(v))) return { ok: false, error: 'the query returned NaN or ±Inf' };
  return { ok: true, value: values.reduce((a, b) => a + b, 0) };
}

/** A range query from `start` to `end`: the points of all its series summed per timestamp, in order. */
export async function queryRange(
  base: string,
  query: string,
  range: { start: string; end: string; stepS: number },
  timeoutMs = 10_000,
): Promise<PromAnswer<Point[]>> {
  const answer = await get(
    base,
    '/api/v1/query_range',
    { query, start: String(seconds(range.start)), end: String(seconds(range.end)), step: `${range.stepS}s` },
    timeoutMs,
  );
  if (!answer.ok) return answer;
  const series = Array.isArray(answer.data.result) ? (answer.data.result as { values?: unknown[][] }[]) : [];
  const sums = new Map<number, number>();
  for (const s of series) {
    for (const [t, v] of s.values ?? []) {
      const value = parseSampleValue(v);
      if (typeof t === 'number' && Number.isFinite(value)) sums.set(t, (sums.get(t) ?? 0) + value);
    }
  }
  return { ok: true, value: [...sums.entries()].sort((a, b) => a[0] - b[0]) };
}

/** A step giving at most ~`points` points over the range, never finer than 15 s. */
export function stepFor(startIso: string, endIso: string, points = 240): number {
  return Math.max(15, Math.ceil((seconds(endIso) - seconds(startIso)) / points));
}
