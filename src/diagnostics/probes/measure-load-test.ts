import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import { interpolate } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { describeNetworkError } from '../describe-error.js';
import { formatMs, formatNumber } from '../format-value.js';
import type { Measurement, MeasureOptions } from '../measurement.js';

type LoadTestCheck = Extract<ProbeCheck, { type: 'loadtest' }>;

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The seed's `ab -n 1000 -c 10`: exactly `requests` GETs to the runbook's URL, at most `concurrency`
 * in flight over keep-alive connections, then it stops; the probe's timeout bounds it in time (every
 * request in flight is aborted). Redirects are not followed, so it never loads another address. A
 * non-2xx answer (a redirect included) or a network error counts as failed.
 * The value is the p99 latency in ms (the checklist's "99 % within 2 s"); `values` holds rps,
 * mean_ms, p99_ms, failed and success_ratio for the other checks.
 */
export async function measureLoadTest(check: LoadTestCheck, options: MeasureOptions): Promise<Measurement> {
  const url = interpolate(check.url, options.vars);
  const agentOptions = { keepAlive: true, maxSockets: check.concurrency };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  // Every request in flight listens for the abort: give them a signal of their own that allows
  // `concurrency` listeners, fed by the probe's signal through one listener.
  const requests = new AbortController();
  setMaxListeners(check.concurrency + 10, requests.signal);
  const stop = () => requests.abort(options.signal.reason);
  options.signal.addEventListener('abort', stop, { once: true });

  const worker = async () => {
    while (next < check.requests && !options.signal.aborted) {
      next += 1;
      const started = performance.now();
      try {
        const response = await axios.get(url, {
          httpAgent,
          httpsAgent,
          signal: requests.signal,
          validateStatus: () => true,
          proxy: false,
          maxRedirects: 0,
          responseType: 'text',
          transformResponse: [(data: unknown) => data],
        });
        if (response.status < 200 || response.status > 299) {
          failed += 1;
          firstError ??= `HTTP ${response.status}`;
        }
      } catch (error) {
        if (options.signal.aborted) return;
        failed += 1;
        firstError ??= describeNetworkError(error);
      }
      latencies.push(performance.now() - started);
    }
  };

  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(check.concurrency, check.requests) }, worker));
  } finally {
    options.signal.removeEventListener('abort', stop);
    httpAgent.destroy();
    httpsAgent.destroy();
  }
  // runProbe reports the timeout; partial numbers would read as a full run.
  options.signal.throwIfAborted();

  const elapsedMs = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  const completed = sorted.length;
  const values = {
    requests: completed,
    rps: round((completed / elapsedMs) * 1000),
    mean_ms: round(sorted.reduce((sum, n) => sum + n, 0) / Math.max(1, completed)),
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    failed,
    success_ratio: Math.round(((completed - failed) / Math.max(1, completed)) * 1000) / 1000,
  };
  // Reads like `ab`'s report, whose numbers the checklist's expectations are written against.
  const summary =
    `Requests per second: ${formatNumber(values.rps)} [#/sec] · Time per request: ${formatMs(values.mean_ms)} (mean) · ` +
    `99 %: ${formatMs(values.p99_ms)} · Failed requests: ${failed} (${completed} requests, ${check.concurrency} at a time)`;
  if (failed === completed) {
    return {
      verdict: 'critical',
      values,
      detail: `all ${completed} requests failed (${firstError ?? 'no answer'})`,
    };
  }
  return {
    value: values.p99_ms,
    unit: 'ms',
    values,
    detail: failed > 0 ? `${summary} (first: ${firstError})` : summary,
  };
}
