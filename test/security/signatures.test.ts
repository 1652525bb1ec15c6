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
import { signedPost } from './security-support.js';

/**
 * Who may talk to the bot: only Slack, proven by the signature over the exact body and a timestamp
 * within 5 minutes either way. Every refusal is a 401 that changes nothing; a replay within the
 * window does its work once.
 */
let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
});
afterAll(async () => {
  await h?.stop();
});

const openCommand = () =>
  slashCommandBody({
    text: '503 forged',
    userId: ALICE,
    channelId: GENERAL,
    responseUrl: h.slack.responseUrl({ channelId: GENERAL, userId: ALICE }),
  });

describe('signatures', () => {
  it('refuses forged, tampered, garbled and missing signatures with 401, and opens nothing', async () => {
    const body = openCommand();
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      { secret: 'not-the-signing-secret' },
      { secret: '' },
      { signedBody: `${body}&extra=1` },
      { signature: 'v0=' },
      { signature: `v0=${'0'.repeat(64)}` },
      { signature: 'v1=abc' },
      { signature: 'garbage' },
      { signature: null },
      { timestamp: Number.NaN },
      { timestamp: now + 0.5 },
    ];
    for (const attempt of attempts) {
      expect((await signedPost(h, body, attempt)).status, JSON.stringify(attempt)).toBe(401);
    }
    // Slack's signature covers the timestamp: a genuine signature under another timestamp is a forgery.
    const moved = slackSignature(h.secrets.signingSecret, now - 1, body);
    expect((await signedPost(h, body, { timestamp: now, signature: moved })).status).toBe(401);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
    expect(await h.bot.deps.store.listRecent(10)).toEqual([]);
  });

  it('refuses stale and future timestamps (more than 5 minutes either way), the signature itself being valid', async () => {
    const body = openCommand();
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 305, now - 3600, now - 86_400 * 365, 0, now + 305, now + 86_400 * 365]) {
      expect((await signedPost(h, body, { timestamp })).status, String(timestamp - now)).toBe(401);
    }
    expect(await h.bot.deps.store.listRecent(10)).toEqual([]);
  });

  it('does a replayed click’s work once, and refuses the replay once its timestamp is stale', async () => {
    await h.slash('503 replayed click');
    const { thread, channel } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
    );
    const card = cardWith(thread, 'p1-emergency-rate-limit');
    const body = blockActionsBody({
      userId: ALICE,
      channelId: channel.id,
      messageTs: card.ts,
      actionId: 'approve-p1-emergency-rate-limit',
      responseUrl: h.slack.responseUrl({ channelId: channel.id, messageTs: card.ts, userId: ALICE }),
      message: card,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    // The same signed request, captured and sent again and again, also all at once.
    const replies = await Promise.all(Array.from({ length: 10 }, () => signedPost(h, body, { timestamp })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    await h.slack.waitFor(
      () => h.sandbox.adminCalls.some((c) => c.path === '/api/admin/rate-limit/emergency') || undefined,
      10_000,
    );
    expect((await signedPost(h, body, { timestamp: timestamp - 400 })).status).toBe(401);
    const [incident] = await h.bot.deps.store.listOpen();
    await expect
      .poll(
        async () =>
          (await h.bot.deps.store.getAction(incident?.id as string, 'p1-emergency-rate-limit'))?.status,
      )
      .toBe('succeeded');
    expect(h.sandbox.adminCalls.filter((c) => c.path === '/api/admin/rate-limit/emergency')).toHaveLength(1);
    const approvals = (await h.bot.deps.store.readTimeline(incident?.id as string)).filter(
      (e) => e.type === 'action.decided' && e.actionId === 'p1-emergency-rate-limit',
    );
    expect(approvals).toHaveLength(1);
  });
});
