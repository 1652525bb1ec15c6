import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  eventCallbackBody,
  newEventId,
  urlVerificationBody,
} from '../../../src/fake-slack/event-requests.js';
import { sendToBot, slackSignature } from '../../../src/fake-slack/slack-requests.js';

describe('Events API bodies', () => {
  it('wraps an event in the event_callback envelope Slack sends', () => {
    const event = {
      type: 'reaction_added',
      user: 'U0ALICE001',
      reaction: 'eyes',
      event_ts: '1700000000.000200',
    };
    const body = JSON.parse(eventCallbackBody({ event, eventId: 'Ev0TEST0001', eventTime: 1_700_000_000 }));
    expect(body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0FBTEAM01',
      api_app_id: 'A0FBAPP001',
      event,
      event_id: 'Ev0TEST0001',
      event_time: 1_700_000_000,
      authorizations: [{ team_id: 'T0FBTEAM01', user_id: 'U0FBBOT001', is_bot: true }],
    });
    expect(Object.keys(body).sort()).toEqual(
      [
        'api_app_id',
        'authorizations',
        'context_enterprise_id',
        'context_team_id',
        'event',
        'event_context',
        'event_id',
        'event_time',
        'is_ext_shared_channel',
        'team_id',
        'token',
        'type',
      ].sort(),
    );
  });

  it('gives each event a fresh Ev id and an event_ts when the event has none', () => {
    expect(newEventId()).toMatch(/^Ev[A-Z0-9]{10}$/);
    expect(newEventId()).not.toBe(newEventId());
    const body = JSON.parse(
      eventCallbackBody({ event: { type: 'app_home_opened' }, eventTime: 1_700_000_000 }),
    );
    expect(body.event.event_ts).toBe('1700000000.000100');
  });

  it('builds url_verification', () => {
    expect(JSON.parse(urlVerificationBody('abc'))).toEqual({
      token: expect.any(String),
      challenge: 'abc',
      type: 'url_verification',
    });
  });
});

describe('sendToBot with Events API bodies', () => {
  it('sends JSON as application/json, signed over the raw body, with the retry headers when asked', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const body = eventCallbackBody({ event: { type: 'app_home_opened' } });
      await sendToBot(url, 'secret', body, { timestamp: 1_700_000_000 });
      await sendToBot(url, 'secret', body, { retry: { num: 2, reason: 'http_error' } });
      expect(seen[0]?.['content-type']).toBe('application/json');
      expect(seen[0]?.['x-slack-signature']).toBe(slackSignature('secret', 1_700_000_000, body));
      expect(seen[0]?.['x-slack-retry-num']).toBeUndefined();
      expect(seen[1]).toMatchObject({ 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
