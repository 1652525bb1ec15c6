import axios, { type AxiosError } from 'axios';
import { parseDuration } from '../runbooks/duration.js';
import { interpolate, interpolateDeep } from '../runbooks/interpolate.js';
import { deadlineSignal } from './deadline-signal.js';
import { redactUrlPassword } from './redact-secrets.js';
import { errorMessage, formatDuration, networkErrorText, truncate } from './result-text.js';
import type { StepExecutor, StepOutcome } from './step-executor.js';

/** Bodies above this are refused by axios: an admin API answers in a few hundred bytes, not megabytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** `127.0.0.1:8002/api/admin/x`: host and path help the reader; the query string may carry secrets. */
function target(url: URL): string {
  return `${url.host}${url.pathname}`;
}

/** A JSON body compacted, anything else as text; cut long before redaction would get expensive. */
function bodyText(data: unknown): string {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  try {
    return truncate(JSON.stringify(JSON.parse(text)), 64 * 1024);
  } catch {
    return truncate(text.trim(), 64 * 1024);
  }
}

function failure(summary: string, excerpt = ''): StepOutcome {
  return { outcome: 'failed', summary, excerpt };
}

/**
 * Calls an admin HTTP API (rate limit, circuit breaker, workers, pools). Variables are resolved
 * here, at execution time only; any 2xx succeeds. No redirects and no proxy: an admin token must go
 * to the host the runbook names and nowhere else.
 */
export const httpExecutor: StepExecutor<'http'> = {
  async execute(step, ctx) {
    const url = URL.parse(interpolate(step.url, ctx.vars));
    if (!url) return failure(`${step.method} ${redactUrlPassword(step.url)}: not a valid URL`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return failure(`refused ${url.protocol} URL: only http and https are supported`);
    }
    const headers: Record<string, string> = interpolateDeep(step.headers ?? {}, ctx.vars);
    const hasBody = step.body !== undefined;
    if (hasBody && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    const body = hasBody ? JSON.stringify(interpolateDeep(step.body, ctx.vars)) : undefined;
    const timeoutMs = parseDuration(step.timeout);
    const what = `${step.method} ${target(url)}`;
    const deadline = deadlineSignal(ctx.signal, timeoutMs);
    const started = performance.now();
    try {
      const response = await axios.request({
        method: step.method,
        url: url.href,
        headers,
        data: body,
        signal: deadline.signal,
        timeout: timeoutMs,
        validateStatus: () => true,
        proxy: false,
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        // Raw text: the excerpt shows what the server said, not what axios made of it.
        responseType: 'text',
        transformResponse: (data: unknown) => data,
      });
      const took = formatDuration(performance.now() - started);
      const ok = response.status >= 200 && response.status < 300;
      return {
        outcome: ok ? 'succeeded' : 'failed',
        summary: `${what} → ${response.status} in ${took}`,
        excerpt: bodyText(response.data),
        observed: { status: response.status, data: response.data },
      };
    } catch (error) {
      if (deadline.timedOut() || (error as AxiosError).code === 'ECONNABORTED') {
        return failure(`${what} timed out after ${formatDuration(timeoutMs)}`);
      }
      if (ctx.signal.aborted) throw error;
      const cause = (error as AxiosError).cause ?? error;
      const text = networkErrorText(error, url.host) ?? networkErrorText(cause, url.host);
      return failure(`${what} failed: ${text ?? errorMessage(error)}`);
    } finally {
      deadline.dispose();
    }
  },
};
