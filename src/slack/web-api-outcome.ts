import { ErrorCode, type WebAPIHTTPError, type WebAPIRateLimitedError } from '@slack/web-api';
import { slackErrorCode } from './slack-errors.js';

/**
 * What a failed Web API call tells about what Slack did:
 * - `rate-limited`: refused (429), not performed; try again after `retryAfterMs`;
 * - `unknown`: the request may have been performed (a timeout, a dropped connection, a 5xx, Slack's
 *   own `internal_error`): retrying a call that creates something can create it twice;
 * - `final`: Slack answered and refused (a platform error such as `channel_not_found`); no retry helps.
 */
export type CallOutcome =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'unknown' }
  | { kind: 'final' };

/** Platform errors whose call may or may not have happened on Slack's side. */
const UNKNOWN_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function classifyFailure(error: unknown): CallOutcome {
  switch (codeOf(error)) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate-limited', retryAfterMs: (error as WebAPIRateLimitedError).retryAfter * 1000 };
    case ErrorCode.RequestError:
      return { kind: 'unknown' };
    case ErrorCode.HTTPError: {
      const status = (error as WebAPIHTTPError).statusCode;
      if (status === 429) return { kind: 'rate-limited', retryAfterMs: 1000 };
      return status >= 500 ? { kind: 'unknown' } : { kind: 'final' };
    }
    case ErrorCode.PlatformError: {
      const code = slackErrorCode(error) ?? '';
      if (code === 'ratelimited') return { kind: 'rate-limited', retryAfterMs: 1000 };
      return UNKNOWN_PLATFORM_ERRORS.has(code) ? { kind: 'unknown' } : { kind: 'final' };
    }
    default:
      return { kind: 'final' };
  }
}
