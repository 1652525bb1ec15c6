import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretMask } from '../../../src/secrets/secret-mask.js';
import { guardedFetch } from '../../../src/slack/guarded-fetch.js';

const received: Array<{ url: string; body: string; type: string | undefined }> = [];
const server = createServer(async (req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  received.push({
    url: req.url ?? '',
    body: Buffer.concat(chunks).toString(),
    type: req.headers['content-type'],
  });
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = 'admin-s3cret-value';

describe('the Slack surface’s one door out', () => {
  const fetch = () =>
    guardedFetch({
      apiUrl: `${base}/api/`,
      responseUrlHosts: [new URL(base).host],
      mask: new SecretMask([SECRET]),
    });

  it('masks secrets and credential shapes in Web API forms (blocks included) and response-URL JSON', async () => {
    const form = new URLSearchParams({
      token: 'xoxb-kept-because-it-is-the-bots-own',
      text: `output: ${SECRET}`,
      blocks: JSON.stringify([
        { type: 'section', text: { type: 'mrkdwn', text: 'Bearer unknownTokenAbc123' } },
      ]),
    }).toString();
    await fetch()(`${base}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    await fetch()(`${base}/response/R1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `see redis://:${SECRET}@cache:6379` }),
    });
    const [api, response] = received.slice(-2);
    const args = new URLSearchParams(api?.body);
    expect(args.get('token')).toBe('xoxb-kept-because-it-is-the-bots-own');
    expect(args.get('text')).toBe('output: [redacted]');
    expect(JSON.parse(args.get('blocks') ?? '')[0].text.text).toBe('Bearer [redacted]');
    expect(JSON.parse(response?.body ?? '')).toEqual({ text: 'see redis://:***@cache:6379' });
  });

  it('refuses to post anywhere but the Web API and the response-URL hosts', async () => {
    const before = received.length;
    for (const url of ['http://10.255.255.1/x', 'https://evil.example/actions/1', 'http://localhost:1/x']) {
      await expect(fetch()(url, { method: 'POST', body: '{}' })).rejects.toThrow(
        /refused to post to .*SLACK_RESPONSE_URL_HOSTS/,
      );
    }
    expect(received.length).toBe(before);
  });
});
