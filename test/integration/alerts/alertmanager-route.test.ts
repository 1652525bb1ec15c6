import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { alertGroupId } from '../../../src/alerts/alert-delivery.js';
import {
  ALERT_BODY_LIMIT,
  ALERTMANAGER_PATH,
  alertmanagerRoute,
} from '../../../src/alerts/alertmanager-route.js';
import { createHttpServer, type HttpServer } from '../../../src/http/http-server.js';
import { createLogger } from '../../../src/logging/logger.js';
import { type AlertFixture, createAlertFixture } from './alert-fixture.js';

const TOKEN = 'test-webhook-token-0123456789abcdef';
const firing = readFileSync('test/fixtures/alertmanager/firing.json', 'utf8');
const GROUP = alertGroupId(JSON.parse(firing).groupKey);

let f: AlertFixture;
let server: HttpServer;
let url: string;

async function serve(token: string | undefined) {
  const [replica] = f.replicas;
  if (!replica) throw new Error('no replica');
  server = createHttpServer(
    [
      alertmanagerRoute({
        token,
        ledger: replica.ledger,
        queue: f.queue,
        log: createLogger('silent'),
        metrics: f.core.metrics,
      }),
    ],
    createLogger('silent'),
  );
  url = `${await server.listen(0, '127.0.0.1')}${ALERTMANAGER_PATH}`;
}

beforeEach(async () => {
  f = await createAlertFixture(inject('redisUrl'));
});
afterEach(async () => {
  await server?.close();
  await f?.close();
});

const post = (body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

const answered = (outcome: string) => f.counted('firebreak_alert_webhook_requests_total', outcome);

/** Nothing of a refused delivery reached Redis: no latest delivery, no job. */
async function expectNothingRecorded() {
  expect(await f.replicas[0]?.ledger.readLatest(GROUP)).toBeUndefined();
  expect(await f.queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({
    waiting: 0,
    active: 0,
    delayed: 0,
  });
}

describe('POST /alerts/alertmanager', () => {
  it("accepts Alertmanager's payload with the token: keeps it as its group's latest and queues the group", async () => {
    await serve(TOKEN);
    const res = await post(firing);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'accepted', group: GROUP });
    expect(await f.replicas[0]?.ledger.readLatest(GROUP)).toMatchObject({
      groupKey: '{}:{alertname="HTTP503ErrorSpike"}',
      status: 'firing',
      firing: 1,
      since: '2026-12-01T10:33:19.252Z',
      alerts: [{ labels: { alertname: 'HTTP503ErrorSpike' } }],
    });
    const jobs = await f.queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.data)).toEqual([{ groupId: GROUP }]);
  });

  it('refuses a missing, wrong or non-bearer token with 401 and records nothing', async () => {
    await serve(TOKEN);
    for (const headers of [
      {},
      { authorization: 'Bearer not-the-token' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: 'Bearer' },
    ]) {
      const res = await post(firing, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="firebreak"');
      const body = (await res.json()) as { error: string };
      expect(body.error).toBe('unauthorized');
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    }
    await expectNothingRecorded();
    expect(await answered('unauthorized')).toBe(5);
  });

  it('answers a bad body with 400 and the reason, and records nothing', async () => {
    await serve(TOKEN);
    const payload = JSON.parse(firing);
    const cases: Array<[string, string]> = [
      ['{"version": "4", oops', 'body is not JSON (error at character 17)'],
      ['', 'body is empty'],
      [
        JSON.stringify({ ...payload, version: '3' }),
        'version "3": Firebreak reads Alertmanager webhook payload version 4',
      ],
      [
        JSON.stringify({ ...payload, groupKey: undefined }),
        'invalid Alertmanager payload: missing field groupKey',
      ],
      [
        JSON.stringify({ ...payload, alerts: [{ ...payload.alerts[0], labels: undefined }] }),
        'invalid Alertmanager payload: missing field alerts[0].labels',
      ],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_payload', reason });
    }
    await expectNothingRecorded();
    expect(await answered('invalid')).toBe(cases.length);
  });

  it('refuses a body over 10 MiB with 413, announced or streamed, before parsing it', async () => {
    await serve(TOKEN);
    // A valid payload padded to one byte over the limit: it would parse, so only the limit refuses it.
    const payload = JSON.parse(firing);
    const padded = (size: number) => {
      const body = JSON.stringify({ ...payload, padding: '' });
      return JSON.stringify({ ...payload, padding: 'x'.repeat(size - body.length) });
    };
    expect(Buffer.byteLength(padded(ALERT_BODY_LIMIT + 1))).toBe(ALERT_BODY_LIMIT + 1);
    const announced = await post(padded(ALERT_BODY_LIMIT + 1));
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: string }).error).toBe('payload_too_large');

    // Chunked, without a Content-Length: counted while it streams.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 11; i++) req.write(chunk);
      req.end();
    });
    expect(streamed).toBe(413);
    await expectNothingRecorded();
    expect(await answered('too_large')).toBe(2);

    // At the limit exactly, it is read and accepted.
    expect((await post(padded(ALERT_BODY_LIMIT))).status).toBe(202);
  });

  it('without ALERT_WEBHOOK_TOKEN, accepts deliveries without a token', async () => {
    await serve(undefined);
    expect((await post(firing, {})).status).toBe(202);
  });

  it('queues one job for a storm of a group: the rest read the latest delivery when it runs', async () => {
    await serve(TOKEN);
    const answers = await Promise.all(Array.from({ length: 200 }, () => post(firing).then((r) => r.status)));
    expect(new Set(answers)).toEqual(new Set([202]));
    expect(await f.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });
});
