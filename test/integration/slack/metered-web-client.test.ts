import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSlack } from '../../../src/fake-slack/fake-slack-server.js';
import type { FakeSlack } from '../../../src/fake-slack/fake-slack-types.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createMetrics, type FirebreakMetrics } from '../../../src/metrics/metrics.js';
import { MeteredWebClient } from '../../../src/slack/metered-web-client.js';
import { createSlackClient } from '../../../src/slack/slack-identity.js';
import { parsePrometheusText, samplesOf } from '../../support/prometheus-text.js';

const TOKEN = 'xoxb-metered-test';
let fake: FakeSlack;
let apiUrl: string;
let metrics: FirebreakMetrics;

// web-api's own console logger, at a level where the failures provoked here stay quiet.
const quiet = { logLevel: LogLevel.ERROR };

/** Call counts per {method, outcome} from the registry's own exposition. */
async function calls() {
  const families = parsePrometheusText(await metrics.registry.metrics());
  const counts = samplesOf(families, 'firebreak_slack_api_call_duration_seconds').filter((s) =>
    s.name.endsWith('_count'),
  );
  return Object.fromEntries(counts.map((s) => [`${s.labels.method} ${s.labels.outcome}`, s.value]));
}

beforeEach(async () => {
  fake = createFakeSlack({ botToken: TOKEN });
  apiUrl = await fake.start();
  metrics = createMetrics();
});

afterEach(async () => {
  await fake.stop();
});

describe("the bot's Web API client", () => {
  it('measures every call by method and outcome: ok, or the Slack error code', async () => {
    const log = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    const client = createSlackClient(
      { botToken: TOKEN, signingSecret: 'unused-secret', appToken: undefined, apiUrl },
      log,
      metrics,
    );
    await client.auth.test();
    const created = await client.conversations.create({ name: 'inc-metered' });
    await client.chat.postMessage({ channel: created.channel?.id as string, text: 'one' });
    await client.chat.postMessage({ channel: created.channel?.id as string, text: 'two' });
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C0GONE0001', text: 'lost' })).rejects.toThrow(
      /channel_not_found/,
    );
    expect(await calls()).toEqual({
      'auth.test ok': 1,
      'conversations.create ok': 1,
      'chat.postMessage ok': 2,
      'chat.postMessage channel_not_found': 1,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE firebreak_slack_api_call_duration_seconds histogram');
    expect(text).not.toContain(TOKEN);
  });

  it('counts each 429 by method, and the call as ok once its retry succeeds', async () => {
    const client = new MeteredWebClient(
      TOKEN,
      { slackApiUrl: apiUrl, ...quiet, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } },
      metrics,
    );
    const channel = fake.addChannel('general');
    fake.failNext('chat.postMessage', { rateLimited: 0 });
    await client.chat.postMessage({ channel, text: 'after a pause' });
    const families = parsePrometheusText(await metrics.registry.metrics());
    expect(samplesOf(families, 'firebreak_slack_rate_limited_total')).toEqual([
      { name: 'firebreak_slack_rate_limited_total', labels: { method: 'chat.postMessage' }, value: 1 },
    ]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(await calls()).toEqual({ 'chat.postMessage ok': 1 });
  });

  it('names what went wrong on the way: retries run out on 429s, a 5xx, a timeout, no connection', async () => {
    const noRetry = { slackApiUrl: apiUrl, ...quiet, retryConfig: { retries: 0 } };
    const client = new MeteredWebClient(TOKEN, noRetry, metrics);
    fake.failNext('chat.update', { rateLimited: 0 });
    await expect(client.chat.update({ channel: 'C0ANY00001', ts: '1.2', text: 'x' })).rejects.toThrow();
    fake.failNext('pins.add', { status: 503 });
    await expect(client.pins.add({ channel: 'C0ANY00001', timestamp: '1.2' })).rejects.toThrow();
    const rejecting = new MeteredWebClient(TOKEN, { ...noRetry, rejectRateLimitedCalls: true }, metrics);
    fake.failNext('bookmarks.add', { rateLimited: 30 });
    await expect(
      rejecting.bookmarks.add({ channel_id: 'C0ANY00001', title: 't', type: 'link', link: 'https://x' }),
    ).rejects.toThrow();
    // Nothing listens on port 9 (discard): the request fails before any answer.
    const unreachable = new MeteredWebClient(
      TOKEN,
      { ...noRetry, slackApiUrl: 'http://127.0.0.1:9/api/' },
      metrics,
    );
    await expect(unreachable.auth.test()).rejects.toThrow();
    const silentServer = createServer(() => {}); // reads the request, never answers
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const { port } = silentServer.address() as AddressInfo;
    const slow = new MeteredWebClient(
      TOKEN,
      { ...noRetry, slackApiUrl: `http://127.0.0.1:${port}/api/`, timeout: 100 },
      metrics,
    );
    await expect(slow.conversations.info({ channel: 'C0ANY00001' })).rejects.toThrow();
    silentServer.closeAllConnections();
    await new Promise((resolve) => silentServer.close(resolve));
    expect(await calls()).toEqual({
      'conversations.info timeout': 1,
      'chat.update rate_limited': 1,
      'pins.add http_error': 1,
      'bookmarks.add rate_limited': 1,
      'auth.test request_error': 1,
    });
  });
});
