import axios from 'axios';
import { interpolate } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { describeNetworkError } from '../describe-error.js';
import { formatNumber } from '../format-value.js';
import type { Measurement, MeasureOptions } from '../measurement.js';

type PrometheusCheck = Extract<ProbeCheck, { type: 'prometheus' }>;

/** The parts of `/api/v1/query`'s answer Firebreak reads (see SLACK-NOTES, Prometheus). */
interface QueryResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** Prometheus writes sample values as strings, including `NaN`, `+Inf` and `-Inf`. */
export function parseSampleValue(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number.parseFloat(text);
}

function firstSample(data: NonNullable<QueryResponse['data']>): { sample?: unknown; series: number } {
  const { resultType, result } = data;
  if (resultType === 'scalar' || resultType === 'string') return { sample: result, series: 1 };
  if (!Array.isArray(result)) return { series: 0 };
  // A matrix (range selector without a function) has `values`; its newest point is the last.
  const first = result[0] as { value?: unknown; values?: unknown[] } | undefined;
  const sample = first?.value ?? first?.values?.at(-1);
  return { sample, series: result.length };
}

/**
 * An instant query (the seed's `curl …/api/v1/query?query=rate(…) | jq '.data.result[0].value[1]'`).
 * The value is the first series' sample; an empty vector is 0 — no 503s recorded is a rate of 0 —
 * with detail `no series` so a mistyped metric name stays visible. Prometheus being unreachable
 * or rejecting the query is `unknown`: it says nothing about the service.
 */
export async function measurePrometheus(
  check: PrometheusCheck,
  options: MeasureOptions,
): Promise<Measurement> {
  const base = interpolate(check.url, options.vars).replace(/\/+$/, '');
  const url = new URL(`${base}/api/v1/query`);
  url.searchParams.set('query', interpolate(check.query, options.vars));
  let status: number;
  let body: QueryResponse;
  try {
    const response = await axios.get<QueryResponse | string>(url.toString(), {
      signal: options.signal,
      timeout: options.timeoutMs,
      validateStatus: () => true,
      proxy: false,
      maxRedirects: 0,
    });
    status = response.status;
    body = typeof response.data === 'object' && response.data !== null ? response.data : {};
  } catch (error) {
    if (options.signal.aborted) throw error;
    return { verdict: 'unknown', detail: `Prometheus unreachable: ${describeNetworkError(error)}` };
  }

  if (body.status === 'error') {
    return {
      verdict: 'unknown',
      detail: `Prometheus ${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`,
    };
  }
  if (status < 200 || status > 299 || body.status !== 'success' || !body.data) {
    return { verdict: 'unknown', detail: `Prometheus answered HTTP ${status} without a query result` };
  }
  const { sample, series } = firstSample(body.data);
  if (series === 0) return { value: 0, detail: 'no series' };
  const raw: unknown = Array.isArray(sample) ? sample[1] : undefined;
  const value = parseSampleValue(raw);
  // NaN and ±Inf (a ratio over zero requests) decide nothing, and would not survive JSON.
  if (!Number.isFinite(value)) return { verdict: 'unknown', detail: `the query returned ${String(raw)}` };
  const of = series > 1 ? `first of ${series} series` : '1 series';
  return { value, values: { series }, detail: `${of}: ${formatNumber(value)}` };
}
