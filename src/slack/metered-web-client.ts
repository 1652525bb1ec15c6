import {
  ErrorCode,
  type WebAPICallResult,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from '@slack/web-api';
import type { FirebreakMetrics } from '../metrics/metrics.js';

/** The metrics of the Slack surface: the Web API client's, and the receiver's ack latency. */
export type SlackMetrics = Pick<FirebreakMetrics, 'slackApiCalls' | 'slackRateLimited' | 'slackAckDuration'>;

/**
 * One word for how a call ended, as a label: `ok`, Slack's own error code (`channel_not_found`,
 * `ratelimited`, …: a finite vocabulary), or what went wrong on the way.
 */
function callOutcome(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case ErrorCode.PlatformError:
      return String((error as { data?: { error?: unknown } }).data?.error ?? 'platform_error');
    case ErrorCode.RateLimitedError:
      return 'rate_limited';
    case ErrorCode.HTTPError:
      return 'http_error';
    case ErrorCode.RequestError: {
      // web-api wraps both a timeout and a 429 whose retries ran out as a request error.
      const original = (error as { original?: { name?: string; message?: string } }).original;
      if (original?.name === 'TimeoutError') return 'timeout';
      if (original?.message?.startsWith('A rate limit was exceeded')) return 'rate_limited';
      return 'request_error';
    }
    default:
      return 'error';
  }
}

/**
 * A WebClient that measures every Web API call it makes: `firebreak_slack_api_call_duration_seconds`
 * by method and outcome (one observation per call, its retries and Retry-After waits included), and
 * `firebreak_slack_rate_limited_total` for each 429 Slack answers. Every method (`chat.postMessage`,
 * `conversations.create`, …) and `paginate` go through `apiCall`, so this is the one place that sees
 * them all, whatever layer is built on top of the client.
 */
export class MeteredWebClient extends WebClient {
  private readonly metrics: Pick<SlackMetrics, 'slackApiCalls' | 'slackRateLimited'>;

  constructor(
    token: string | undefined,
    options: WebClientOptions,
    metrics: Pick<SlackMetrics, 'slackApiCalls' | 'slackRateLimited'>,
  ) {
    super(token, options);
    this.metrics = metrics;
    this.on(WebClientEvent.RATE_LIMITED, (_retryAfterS: number, request: { url?: string }) => {
      const url = request?.url ?? '';
      metrics.slackRateLimited.inc({ method: url.slice(url.lastIndexOf('/') + 1) || 'unknown' });
    });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const end = this.metrics.slackApiCalls.startTimer({ method });
    try {
      const result = await super.apiCall(method, options);
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: callOutcome(error) });
      throw error;
    }
  }
}
