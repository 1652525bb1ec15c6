import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockActionsBody, slackSignature, slashCommandBody } from '../../src/fake-slack/index.js';
import {
  ALICE,
  type BotHarness,
  cardWith,
  GENERAL,
  incidentThread,
  startHarness,
} from '../support/bot-harness.js';
import { errorLines, payloadForm, signedPost, startTrap } from './security-support.js';

/**
 * Signed but hostile bodies: too large, not JSON, not an object, the wrong shape, a response_url on
 * someone else's host. Each gets a 4xx at once, changes nothing, and the bot keeps serving.
 */
let h: BotHarness;
let trap: Awaited<ReturnType<typeof startTrap>>;
let incidentChannel: string;
let card: Awaited<ReturnType<typeof incidentThread>>['thread'][number];
beforeAll(async () => {
  // Only ALICE may approve, so a click that gets through by mistake is refused rather than run.
  h = await startHarness({ redisUrl: inject('redisUrl'), env: { INCIDENT_APPROVERS: ALICE } });
  trap = await startTrap();
  await h.slash('503 hostile bodies');
  const found = await incidentThread(h.slack, (t) =>
    t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
  );
  incidentChannel = found.channel.id;
  card = cardWith(found.thread, 'p1-emergency-rate-limit');
});
afterAll(async () => {
  await h?.stop();
  await trap?.close();
});

const click = (overrides: { userId?: string; actionId?: string; responseUrl?: string } = {}) =>
  blockActionsBody({
    userId: overrides.userId ?? ALICE,
    channelId: incidentChannel,
    messageTs: card.ts,
    actionId: overrides.actionId ?? 'approve-p1-emergency-rate-limit',
    responseUrl:
      overrides.responseUrl ??
      h.slack.responseUrl({ channelId: incidentChannel, messageTs: card.ts, userId: ALICE }),
    message: card,
  });

const actionStatus = async () => {
  const [incident] = await h.bot.deps.store.listOpen();
  return (await h.bot.deps.store.getAction(incident?.id as string, 'p1-emergency-rate-limit'))?.status;
};

/** A raw POST with a body streamed in chunks and no Content-Length, as a client that never stops would. */
function streamedPost(bytes: number): Promise<number> {
  const url = new URL(`${h.bot.url}/slack/events`);
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(h.secrets.signingSecret, timestamp, ''),
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('hostile bodies', () => {
  it('refuses bodies larger than Slack sends with 413, also streamed without a length', async () => {
    expect((await signedPost(h, `payload=${'x'.repeat(1024 * 1024 + 1)}`)).status).toBe(413);
    expect(await streamedPost(32 * 1024 * 1024)).toBe(413);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });

  it('refuses signed bodies that are not a Slack payload with 400', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const bodies: Array<[string, string] | string> = [
      '',
      'payload=',
      'payload=null',
      'payload=true',
      'payload=%22a%20string%22',
      'payload=%5B%5D',
      payloadForm(deep),
      payloadForm('{"type":"block_actions"'),
      payloadForm({}),
      payloadForm({ type: 'block_actions' }),
      payloadForm({ type: 'block_actions', user: { id: ALICE }, actions: [null] }),
      payloadForm({ type: 'block_actions', user: { id: ALICE }, actions: 'approve' }),
      payloadForm({ type: 'view_submission', user: { id: ALICE }, view: 'v' }),
      payloadForm({ type: 'shortcut' }),
      payloadForm({ type: 'interactive_message', actions: [{ name: 'x' }] }),
      payloadForm({ event: 'x', type: 'event_callback' }),
      'command=%2Fincident&text=help&text=status&user_id=U1&channel_id=C1',
      'command=%2Fincident&user_id=U1&channel_id=C1',
      ['{"type":"event_callback","event":{"type":"message","channel":{"nope":1}}}', 'application/json'],
      ['[1,2,3]', 'application/json'],
      ['null', 'application/json'],
      ['{"a":', 'application/json'],
      ['payload=%7B%7D', 'text/plain'],
    ];
    for (const entry of bodies) {
      const [body, contentType] = typeof entry === 'string' ? [entry, undefined] : entry;
      const reply = await signedPost(h, body, contentType ? { contentType } : {});
      expect(reply.status, body.slice(0, 80)).toBe(400);
    }
    expect(await actionStatus()).toBe('offered');
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });

  it('refuses a payload whose response_url is not Slack’s, and never calls that host', async () => {
    for (const responseUrl of [
      `${trap.url}/steal`,
      'https://example.com/x',
      'http://169.254.169.254/latest',
    ]) {
      expect((await signedPost(h, click({ responseUrl }))).status).toBe(400);
      const command = slashCommandBody({ text: 'status', userId: ALICE, channelId: GENERAL, responseUrl });
      expect((await signedPost(h, command)).status).toBe(400);
    }
    expect(trap.requests).toEqual([]);
    expect(await actionStatus()).toBe('offered');
  });

  it('answers a button it has no listener for at once, with 200 (Bolt alone waits 3 s, then says 404)', async () => {
    const reply = await signedPost(h, click({ actionId: 'open-the-pod-bay-doors' }));
    expect(reply.status).toBe(200);
    expect(await actionStatus()).toBe('offered');
  });

  it('takes a click without a response_url (a modal’s, or forged) without an error, answering nobody', async () => {
    const payload = JSON.parse(new URLSearchParams(click()).get('payload') as string);
    delete payload.response_url;
    expect((await signedPost(h, payloadForm({ ...payload, user: { id: 'U0NOBODY01' } }))).status).toBe(200);
    // Processed (the core counted a refusal: not an approver), though nobody could be told.
    await expect
      .poll(
        async () =>
          (await (await fetch(`${h.bot.url}/metrics`)).text()).match(/decision="refused"\} (\d+)/)?.[1],
      )
      .toBe('1');
    expect(await actionStatus()).toBe('offered');
    expect(errorLines(h.logs())).toEqual([]);
  });

  it('answers a signed click with an empty user id with a refusal, and leaves the action offered', async () => {
    const responseUrl = h.slack.responseUrl({
      channelId: incidentChannel,
      messageTs: card.ts,
      userId: ALICE,
    });
    expect((await signedPost(h, click({ userId: '', responseUrl }))).status).toBe(200);
    const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl));
    expect(JSON.stringify(answer.body)).toContain('names no user Firebreak can record');
    expect(await actionStatus()).toBe('offered');
    const [incident] = await h.bot.deps.store.listOpen();
    // Restarting changes nothing: nothing was queued that could be left behind.
    await h.restart();
    expect(await h.bot.deps.store.getAction(incident?.id as string, 'p1-emergency-rate-limit')).toMatchObject(
      {
        status: 'offered',
      },
    );
    expect(h.sandbox.adminCalls).toEqual([]);
    expect(errorLines(h.logs())).toEqual([]);
  });
});
