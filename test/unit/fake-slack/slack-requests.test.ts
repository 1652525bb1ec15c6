import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/fake-slack/fake-slack-types.js';
import { findButton } from '../../../src/fake-slack/find-button.js';
import {
  blockActionsBody,
  sendToBot,
  slackSignature,
  slashCommandBody,
} from '../../../src/fake-slack/slack-requests.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/slack/${name}`, import.meta.url), 'utf8'));

/** Every key path of a JSON value (arrays by their first element), to compare shapes, not values. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

const message: FakeMessage = {
  type: 'message',
  ts: '1548426417.840180',
  text: 'Step 1: restart checkout-api?',
  user: 'U0BOT00001',
  bot_id: 'B0BOT00001',
  app_id: 'A123456',
  team: 'T0001',
  blocks: [
    {
      type: 'actions',
      block_id: 'step-1',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          text: { type: 'plain_text', text: 'Approve', emoji: true },
          style: 'primary',
          value: 'run-1:step-1',
        },
        {
          type: 'button',
          action_id: 'skip',
          text: { type: 'plain_text', text: 'Skip' },
          value: 'run-1:step-1',
        },
      ],
    },
  ],
  replies: [],
};

describe('slackSignature', () => {
  it("matches Slack's documented example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('is v0= plus the hex HMAC-SHA256 of v0:<ts>:<body>', () => {
    const expected = createHmac('sha256', 'shh').update('v0:1700000000:a=1&b=%20').digest('hex');
    expect(slackSignature('shh', 1700000000, 'a=1&b=%20')).toBe(`v0=${expected}`);
  });
});

describe('request bodies', () => {
  it('builds a slash command with exactly the fields Slack sends', () => {
    const body = slashCommandBody({
      text: 'declare sev2 checkout-api',
      userId: 'U0ALICE001',
      channelId: 'C0INCIDENT',
      responseUrl: 'http://127.0.0.1:1/response/R1',
    });
    const fields = Object.fromEntries(new URLSearchParams(body));
    expect(Object.keys(fields)).toEqual(Object.keys(fixture('slash-command.json')));
    expect(fields).toMatchObject({
      command: '/incident',
      text: 'declare sev2 checkout-api',
      user_id: 'U0ALICE001',
    });
    expect(body).toContain('command=%2Fincident&text=declare+sev2+checkout-api');
  });

  it('builds a block_actions payload shaped like the fixture, carrying the clicked button', () => {
    const button = findButton(message, (b) => b.text === 'Approve');
    expect(button).toEqual({
      blockId: 'step-1',
      actionId: 'approve',
      value: 'run-1:step-1',
      label: 'Approve',
      style: 'primary',
    });
    const body = blockActionsBody({
      userId: 'U0ALICE001',
      channelId: 'C2147483705',
      messageTs: message.ts,
      responseUrl: 'http://127.0.0.1:1/response/R2',
      message,
      ...(button ?? { actionId: 'missing' }),
    });
    expect(body.startsWith('payload=')).toBe(true);
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');
    expect(keyPaths(payload).sort()).toEqual(keyPaths(fixture('block-actions.json')).sort());
    expect(payload.actions[0]).toMatchObject({
      action_id: 'approve',
      block_id: 'step-1',
      value: 'run-1:step-1',
      text: { text: 'Approve' },
    });
    expect(payload.message.replies).toBeUndefined();
  });

  it('names the thread in the container when the clicked message is a reply', () => {
    const reply = { ...message, ts: '1548426420.000100', thread_ts: message.ts };
    const body = blockActionsBody({
      userId: 'U0ALICE001',
      channelId: 'C1',
      messageTs: reply.ts,
      actionId: 'skip',
      responseUrl: 'http://x/response/R3',
      message: reply,
    });
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: reply.ts,
      channel_id: 'C1',
      is_ephemeral: false,
      thread_ts: message.ts,
    });
    expect(payload.actions[0]).toMatchObject({
      action_id: 'skip',
      block_id: 'step-1',
      text: { text: 'Skip' },
    });
  });
});

describe('sendToBot', () => {
  it('posts to /slack/events with the exact content type and a verifiable signature', async () => {
    const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.end('acked');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const reply = await sendToBot(`http://127.0.0.1:${port}`, 'secret', 'a=1', { timestamp: 1700000000 });
      expect(reply).toEqual({ status: 200, body: 'acked' });
      const [req] = seen;
      expect(req?.url).toBe('/slack/events');
      expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req?.headers['x-slack-request-timestamp']).toBe('1700000000');
      const hmac = createHmac('sha256', 'secret').update('v0:1700000000:a=1').digest('hex');
      expect(req?.headers['x-slack-signature']).toBe(`v0=${hmac}`);

      await sendToBot(`http://127.0.0.1:${port}/`, 'secret', 'a=1', { signWith: 'forged' });
      expect(seen[1]?.headers['x-slack-signature']).not.toBe(req?.headers['x-slack-signature']);
      const now = Math.floor(Date.now() / 1000);
      expect(Math.abs(Number(seen[1]?.headers['x-slack-request-timestamp']) - now)).toBeLessThanOrEqual(2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
