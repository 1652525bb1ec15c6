import axios, { type AxiosResponse } from 'axios';
import { interpolate, interpolateDeep } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { describeNetworkError } from '../describe-error.js';
import { formatMs, formatNumber } from '../format-value.js';
import type { Measurement, MeasureOptions } from '../measurement.js';

type HttpCheck = Extract<ProbeCheck, { type: 'http' }>;

/** Bodies past this are cut off: a health endpoint that streams megabytes is itself a finding. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads a dotted path (`data.length`, `status.indicator`, `items.0.count`) from a JSON body.
 * `.length` of an array counts it, like the seed's `jq '.data | length'`.
 */
export function readJsonPath(body: unknown, path: string): unknown {
  let current = body;
  for (const key of path.split('.').filter(Boolean)) {
    if (Array.isArray(current)) {
      current = key === 'length' ? current.length : current[Number(key)];
    } else if (current !== null && typeof current === 'object') {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/**
 * One HTTP request (the seed's `curl -f` and `time curl`). Any non-2xx — a redirect included,
 * since following one to another host would check the wrong thing — is critical; so is a
 * refused connection. The value is the latency, or with `measure: json` a number from the body.
 */
export async function measureHttp(check: HttpCheck, options: MeasureOptions): Promise<Measurement> {
  const url = interpolate(check.url, options.vars);
  const headers = check.headers ? interpolateDeep(check.headers, options.vars) : {};
  const started = performance.now();
  let response: AxiosResponse<string>;
  try {
    response = await axios.request<string>({
      url,
      method: check.method,
      headers,
      signal: options.signal,
      timeout: options.timeoutMs,
      validateStatus: () => true,
      proxy: false,
      maxRedirects: 0,
      responseType: 'text',
      // Keep the body as text: axios would otherwise swallow invalid JSON silently.
      transformResponse: [(data: unknown) => data],
      maxContentLength: MAX_BODY_BYTES,
    });
  } catch (error) {
    // A timeout or cancellation is reported by runProbe, which knows which of the two it was.
    if (options.signal.aborted) throw error;
    return { verdict: 'critical', detail: describeNetworkError(error) };
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = `HTTP ${response.status} in ${formatMs(latencyMs)}`;
  if (response.status < 200 || response.status > 299) {
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirect not followed)' : '';
    return { verdict: 'critical', value: latencyMs, unit: 'ms', detail: `${status}${redirect}` };
  }
  if (check.measure === 'latency') return { value: latencyMs, unit: 'ms', detail: status };

  const path = check.jsonPath ?? '';
  let body: unknown;
  try {
    body = JSON.parse(String(response.data));
  } catch {
    return { verdict: 'unknown', values: { latency_ms: latencyMs }, detail: `${status}, body is not JSON` };
  }
  const raw = readJsonPath(body, path);
  const where = path || 'the body';
  const values = { latency_ms: latencyMs };
  if (check.valueMap && typeof raw === 'string') {
    // A word such as a status page's `indicator`: the runbook says which number it stands for.
    const mapped = Object.hasOwn(check.valueMap, raw) ? check.valueMap[raw] : undefined;
    if (mapped === undefined) {
      return { verdict: 'unknown', values, detail: `${status}, ${where} = "${raw}" is not in valueMap` };
    }
    return { value: mapped, values, detail: `${status}, ${where} = ${raw} (${formatNumber(mapped)})` };
  }
  const value = asNumber(raw);
  if (value === undefined) return { verdict: 'unknown', values, detail: `${status}, no number at ${where}` };
  return { value, values, detail: `${status}, ${where} = ${formatNumber(value)}` };
}
