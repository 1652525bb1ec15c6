import { ErrorCode } from '@slack/web-api';
// Shaped like web-api 8's errors (errors.ts): a `code`, and the fields each kind carries.
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/slack/web-api-outcome.js';

describe('classifyFailure', () => {
  it('tells a refusal to wait from an unknown outcome from a final answer', () => {
    expect(
      classifyFailure(Object.assign(new Error('429'), { code: ErrorCode.RateLimitedError, retryAfter: 7 })),
    ).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 7000,
    });
    expect(
      classifyFailure(Object.assign(new Error('socket hang up'), { code: ErrorCode.RequestError })),
    ).toEqual({
      kind: 'unknown',
    });
    expect(
      classifyFailure(Object.assign(new Error('502'), { code: ErrorCode.HTTPError, statusCode: 502 })),
    ).toEqual({
      kind: 'unknown',
    });
    expect(
      classifyFailure(Object.assign(new Error('400'), { code: ErrorCode.HTTPError, statusCode: 400 })),
    ).toEqual({
      kind: 'final',
    });
    expect(classifyFailure(new Error('anything else'))).toEqual({ kind: 'final' });
  });
});
