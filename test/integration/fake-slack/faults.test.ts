import {
  ErrorCode,
  WebAPIHTTPError,
  type WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClientEvent,
} from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { useFakeSlack } from './use-fake-slack.js';

const slack = useFakeSlack();
const rejection = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('lost answers: the call is performed, the answer never arrives intact', () => {
  it('drop: the message is posted, the connection closes, web-api throws WebAPIRequestError', async () => {
    const id = slack.fake.addChannel('incidents');
    slack.fake.loseAnswerNext('chat.postMessage', { mode: 'drop' });
    const err = await rejection(slack.client().chat.postMessage({ channel: id, text: 'entry 7' }));
    expect(err).toBeInstanceOf(WebAPIRequestError);
    expect((err as WebAPIRequestError).code).toBe(ErrorCode.RequestError);
    expect(slack.fake.messages(id).map((m) => m.text)).toEqual(['entry 7']);
    expect(slack.fake.callsTo('chat.postMessage')[0]).toMatchObject({ ok: true, status: 0, lost: 'drop' });
    // The next call is answered normally.
    await slack.client().chat.postMessage({ channel: id, text: 'entry 8' });
    expect(slack.fake.messages(id)).toHaveLength(2);
  });

  it('status: the channel is created, then 503 — a retrying client would create it twice without a check', async () => {
    slack.fake.loseAnswerNext('conversations.create', { mode: 'status', status: 503 });
    const web = slack.client();
    const err = await rejection(web.conversations.create({ name: 'inc-1' }));
    expect(err).toBeInstanceOf(WebAPIHTTPError);
    expect((err as WebAPIHTTPError).statusCode).toBe(503);
    expect(slack.fake.channelByName('inc-1')).toBeDefined();
    // Slack's answer to the naive retry: the name is taken — by the channel the lost call created.
    const again = await rejection(web.conversations.create({ name: 'inc-1' }));
    expect((again as WebAPIPlatformError).data.error).toBe('name_taken');
  });

  it('delay: the answer comes after the client timeout; web-api gives up, the work is done', async () => {
    const id = slack.fake.addChannel('incidents');
    slack.fake.loseAnswerNext('chat.postMessage', { mode: 'delay', delayMs: 400, times: 2 });
    const web = slack.client({ timeout: 50 });
    for (const text of ['a', 'b']) {
      const err = await rejection(web.chat.postMessage({ channel: id, text }));
      expect(err).toBeInstanceOf(WebAPIRequestError);
    }
    expect(slack.fake.messages(id).map((m) => m.text)).toEqual(['a', 'b']);
    // The next call is answered again (a patient client: 50 ms is too short on a busy machine).
    expect((await slack.client({ timeout: 5000 }).chat.postMessage({ channel: id, text: 'c' })).ok).toBe(
      true,
    );
  });

  it('delay shorter than the timeout is only slow', async () => {
    const id = slack.fake.addChannel('incidents');
    slack.fake.loseAnswerNext('chat.postMessage', { mode: 'delay', delayMs: 30 });
    const started = Date.now();
    const posted = await slack.client({ timeout: 2000 }).chat.postMessage({ channel: id, text: 'slow' });
    expect(posted.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('refuses a status that is not an HTTP error', () => {
    expect(() => slack.fake.loseAnswerNext('chat.postMessage', { mode: 'status', status: 200 })).toThrow(
      /4xx\/5xx/,
    );
  });
});

describe('failure windows', () => {
  it('fails every call to a method for the window, then recovers; nothing is performed meanwhile', async () => {
    const id = slack.fake.addChannel('incidents');
    slack.fake.failFor('chat.postMessage', { status: 502 }, 150);
    const web = slack.client();
    for (let i = 0; i < 3; i += 1) {
      const err = await rejection(web.chat.postMessage({ channel: id, text: 'x' }));
      expect((err as WebAPIHTTPError).statusCode).toBe(502);
    }
    expect((await web.auth.test()).ok).toBe(true); // other methods are untouched
    expect(slack.fake.messages(id)).toHaveLength(0);
    await slack.fake.waitFor(() => Date.now() - (slack.fake.calls[0]?.at ?? 0) > 160, 1000);
    expect((await web.chat.postMessage({ channel: id, text: 'back' })).ok).toBe(true);
  });

  it("'*' fails every method, with a platform error too", async () => {
    slack.fake.failFor('*', { error: 'service_unavailable' }, 10_000);
    const web = slack.client();
    expect(((await rejection(web.auth.test())) as WebAPIPlatformError).data.error).toBe(
      'service_unavailable',
    );
    expect(((await rejection(web.conversations.list())) as WebAPIPlatformError).data.error).toBe(
      'service_unavailable',
    );
    slack.fake.clearFaults();
    expect((await web.auth.test()).ok).toBe(true);
  });

  it('429 window: WebClient waits Retry-After, retries, and gets through once the window closes', async () => {
    const id = slack.fake.addChannel('incidents');
    slack.fake.failFor('chat.postMessage', { rateLimited: 1 }, 300);
    const limited: number[] = [];
    const web = slack.client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
    const started = Date.now();
    expect((await web.chat.postMessage({ channel: id, text: 'eventually' })).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(limited).toEqual([1]);
    expect(slack.fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('429 with rejectRateLimitedCalls surfaces WebAPIRateLimitedError at once', async () => {
    slack.fake.failFor('conversations.invite', { rateLimited: 30 }, 10_000);
    const err = await rejection(
      slack
        .client({ rejectRateLimitedCalls: true })
        .conversations.invite({ channel: 'C1', users: 'U0ALICE001' }),
    );
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(30);
  });

  it('failNext is used up before a window, and keeps working as before', async () => {
    slack.fake.failNext('auth.test', { error: 'internal_error' });
    slack.fake.failFor('auth.test', { status: 500 }, 10_000);
    const web = slack.client();
    expect(((await rejection(web.auth.test())) as WebAPIPlatformError).data.error).toBe('internal_error');
    expect(((await rejection(web.auth.test())) as WebAPIHTTPError).statusCode).toBe(500);
  });
});
