import { WebAPIHTTPError, WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../../src/errors.js';
import { explainFailure } from '../../../src/slack/explain-failure.js';
import { isChannelFact, slackErrorCode } from '../../../src/slack/slack-errors.js';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

describe('isChannelFact', () => {
  it.each(['is_archived', 'channel_is_archived', 'channel_not_found', 'not_in_channel', 'is_inactive'])(
    'treats %s as a fact about the channel',
    (code) => {
      expect(isChannelFact(platform(code))).toBe(true);
      expect(slackErrorCode(platform(code))).toBe(code);
    },
  );

  it.each(['ratelimited', 'internal_error', 'invalid_blocks', 'msg_too_long'])('retries %s', (code) => {
    expect(isChannelFact(platform(code))).toBe(false);
  });

  it('does not read a code into other errors', () => {
    expect(isChannelFact(new WebAPIHTTPError(503, 'Service Unavailable', {}, ''))).toBe(false);
    expect(isChannelFact(new Error('is_archived'))).toBe(false);
    expect(slackErrorCode('is_archived')).toBeUndefined();
  });
});

describe('explainFailure', () => {
  it("tells a Firebreak error's own message", () => {
    expect(explainFailure(new FirebreakError('runbook_unknown', 'no runbook for incident kind "504"'))).toBe(
      'no runbook for incident kind "504"',
    );
  });

  it.each([
    Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
      name: 'MaxRetriesPerRequestError',
    }),
    new Error('Connection is closed.'),
    new Error('connect ECONNREFUSED 127.0.0.1:6379'),
  ])('says Redis is unreachable for %s', (error) => {
    expect(explainFailure(error)).toBe('Firebreak cannot reach its Redis store right now');
  });

  it('keeps anything else to itself', () => {
    const text = explainFailure(new TypeError("Cannot read properties of undefined (reading 'token')"));
    expect(text).not.toContain('token');
    expect(text).toContain("Firebreak's log");
  });
});
