import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockActionsBody, sendToBot } from '../../src/fake-slack/index.js';
import {
  ALICE,
  type BotHarness,
  cardWith,
  GENERAL,
  incidentThread,
  startHarness,
} from '../support/bot-harness.js';
import { FORM, signedPost } from '../support/signed-post.js';

describe("Slack's receiver, a route of Firebreak's own HTTP server", () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('answers 400 to signed bodies that are not an object, and keeps serving', async () => {
    for (const body of ['payload=null', 'payload=%5B1%5D', 'payload=%7Bnope', 'payload=42']) {
      expect((await signedPost(h, body)).status, body).toBe(400);
    }
    expect((await signedPost(h, 'not json', { contentType: 'application/json' })).status).toBe(400);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    expect(h.logs()).toContain('refused a malformed signed request');
  });

  it('refuses a timestamp more than 5 minutes away, in either direction', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = 'command=%2Fincident&text=help';
    expect((await signedPost(h, body, { timestamp: now + 365 * 24 * 3600 })).status).toBe(401);
    // A few seconds past the limit: the bot reads its clock a moment after this test did.
    expect((await signedPost(h, body, { timestamp: now + 305 })).status).toBe(401);
    expect((await signedPost(h, body, { timestamp: now - 305 })).status).toBe(401);
  });

  it("answers Slack's URL verification and SSL check", async () => {
    const challenge = await signedPost(h, JSON.stringify({ type: 'url_verification', challenge: 'c-123' }), {
      contentType: 'application/json',
    });
    expect(challenge).toEqual({ status: 200, body: JSON.stringify({ challenge: 'c-123' }) });
    // The SSL check is unsigned by design; whatever else it carries is ignored.
    const ssl = await fetch(`${h.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'ssl_check=1&command=%2Fincident&text=503',
    });
    expect(ssl.status).toBe(200);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
  });

  it('refuses a body larger than Slack ever sends before reading it whole', async () => {
    expect((await signedPost(h, `payload=${'x'.repeat(1_100_000)}`)).status).toBe(413);
  });

  it('takes a form with a charset suffix, which Bolt’s own receiver refuses', async () => {
    const body = new URLSearchParams({
      command: '/incident',
      text: 'help',
      user_id: ALICE,
      channel_id: GENERAL,
      response_url: h.slack.responseUrl(),
    }).toString();
    const answer = await signedPost(h, body, { contentType: `${FORM}; charset=utf-8` });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('*Usage*');
  });

  it("refuses a button clicked outside its incident's channel: Slack's rule, checked at the Slack edge", async () => {
    await h.slash('503 buttons elsewhere');
    const { thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
    );
    const card = cardWith(thread, 'p1-emergency-rate-limit');
    for (const actionId of ['approve-p1-emergency-rate-limit', 'skip-p1-emergency-rate-limit']) {
      const responseUrl = h.slack.responseUrl({ channelId: GENERAL, userId: ALICE });
      const body = blockActionsBody({
        userId: ALICE,
        channelId: GENERAL,
        messageTs: card.ts,
        actionId,
        responseUrl,
        message: card,
      });
      expect((await sendToBot(h.bot.url, h.secrets.signingSecret, body)).status).toBe(200);
      const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl));
      expect(JSON.stringify(answer.body)).toContain('use it in its channel');
    }
    const [incident] = await h.bot.deps.store.listOpen();
    expect(await h.bot.deps.store.getAction(incident?.id as string, 'p1-emergency-rate-limit')).toMatchObject(
      {
        status: 'offered',
      },
    );
    expect(h.sandbox.adminCalls).toEqual([]);
    // Refused, and recorded in the incident it was aimed at: who, what, why.
    const refused = (await h.bot.deps.store.readTimeline(incident?.id as string)).filter(
      (e) => e.type === 'decision.refused',
    );
    expect(refused.map((e) => [e.actor, 'decision' in e && e.decision, 'code' in e && e.code])).toEqual([
      [ALICE, 'approve', 'wrong-channel'],
      [ALICE, 'skip', 'wrong-channel'],
    ]);
  });
});
