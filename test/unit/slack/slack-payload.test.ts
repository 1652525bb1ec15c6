import { describe, expect, it } from 'vitest';
import { isResponseUrlAllowed } from '../../../src/slack/response-url-hosts.js';
import { checkSlackPayload } from '../../../src/slack/slack-payload.js';

const HOSTS = ['hooks.slack.com', '127.0.0.1:4321'];
const SLACK_URL = 'https://hooks.slack.com/actions/T0/1/abc';

const command = {
  command: '/incident',
  text: 'help',
  user_id: 'U0ALICE001',
  channel_id: 'C0GENERAL1',
  response_url: 'https://hooks.slack.com/commands/T0/1/abc',
};
const click = {
  type: 'block_actions',
  user: { id: 'U0ALICE001' },
  actions: [{ action_id: 'approve-x', value: '{}', type: 'button' }],
  channel: { id: 'C0INC00001' },
  response_url: SLACK_URL,
};

describe('response URL hosts', () => {
  it("allows Slack's hosts over https, and a loopback fake over http", () => {
    expect(isResponseUrlAllowed(SLACK_URL, HOSTS)).toBe(true);
    expect(isResponseUrlAllowed('http://127.0.0.1:4321/response/R1', HOSTS)).toBe(true);
  });

  it('refuses any other host, plain http off loopback, credentials, other ports and non-URLs', () => {
    for (const url of [
      'https://evil.example/actions',
      'http://hooks.slack.com/actions/x',
      'https://hooks.slack.com.evil.example/x',
      'https://user:pw@hooks.slack.com/x',
      'http://127.0.0.1:9999/response/R1',
      'http://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'not a url',
      42,
      undefined,
    ]) {
      expect(isResponseUrlAllowed(url, HOSTS), String(url)).toBe(false);
    }
  });
});

describe('checkSlackPayload', () => {
  it('accepts what Slack sends', () => {
    expect(checkSlackPayload(command, HOSTS)).toEqual({ ok: true });
    expect(checkSlackPayload(click, HOSTS)).toEqual({ ok: true });
    expect(
      checkSlackPayload({ type: 'event_callback', event: { type: 'app_mention', channel: 'C1' } }, HOSTS),
    ).toEqual({ ok: true });
    expect(
      checkSlackPayload({ type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1' } }, HOSTS),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a response_url that is not a Slack host, wherever the payload carries it', () => {
    expect(checkSlackPayload({ ...command, response_url: 'https://evil.example/x' }, HOSTS)).toMatchObject({
      ok: false,
      reason: 'response_url is not a Slack host',
    });
    expect(
      checkSlackPayload(
        {
          type: 'view_submission',
          user: { id: 'U1' },
          view: { id: 'V1' },
          response_urls: [{ response_url: 'http://10.0.0.1/' }],
        },
        HOSTS,
      ),
    ).toMatchObject({ ok: false });
  });

  it('refuses the shapes that broke Bolt: odd types where it reads fields, unknown types, options in disguise', () => {
    const bad: Array<Record<string, unknown>> = [
      { ...command, text: ['help', 'status'] },
      { ...command, user_id: undefined },
      { ...click, actions: [] },
      { ...click, actions: [42] },
      { ...click, actions: [{ action_id: 7 }] },
      { ...click, user: 'U0ALICE001' },
      { ...click, user: undefined },
      { ...click, channel: 'C1' },
      { ...click, actions: [{ action_id: 'approve-x', value: { i: 1 } }] },
      { ...click, name: 'menu' },
      { type: 'event_callback', event: 'x' },
      { type: 'event_callback', event: { type: 'message', channel: 5 } },
      { type: 'interactive_message', actions: [{}] },
      { type: 'view_submission', actions: [{ action_id: 'x' }], user: { id: 'U' }, view: { id: 'V' } },
      { type: 'something_else' },
      {},
      { token: 'x' },
    ];
    for (const body of bad) expect(checkSlackPayload(body, HOSTS).ok, JSON.stringify(body)).toBe(false);
  });
});
