import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { type BotHarness, cardWith, startHarness } from '../support/bot-harness.js';
import { onlyOpenIncident, openingDelivered } from '../support/incident-thread-order.js';

/** Long enough for BullMQ's first retry (backoff 1 s) to have happened if there were one. */
const RETRY_WINDOW_MS = 1800;

/** Calls the fake Web API as the bot would, e.g. to archive a channel the way a person does. */
async function slackApi(h: BotHarness, method: string, args: Record<string, string>) {
  const origin = new URL(h.slack.responseUrl()).origin;
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${h.secrets.botToken}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(args),
  });
  return (await response.json()) as { ok: boolean; error?: string };
}

/** Opens a 503 incident and waits until its thread is complete; returns its channel and id. */
async function openIncident(h: BotHarness) {
  await h.slash('503 checkout is down');
  const store = h.bot.deps.store;
  await expect
    .poll(async () => (await store.listOpen())[0]?.status, { timeout: 8000, interval: 50 })
    .toBe('investigating');
  const id = await onlyOpenIncident(store);
  const slackSide = await h.bot.ledger.read(id);
  const channel = slackSide.channel?.id as string;
  const header = slackSide.headerTs as string;
  // Done: the thread's last entry posted, and the header re-rendered for it.
  await openingDelivered(h.slack, store, h.bot.ledger, id);
  await h.slack.waitFor(
    () => JSON.stringify(h.slack.messages(channel)[0]?.blocks).includes('Investigating'),
    8000,
  );
  return { id, channel, header };
}

const failedCalls = (h: BotHarness, method: string, channel: string) =>
  h.slack.callsTo(method).filter((c) => c.args.channel === channel && !c.ok);

describe('an archived incident channel is a fact, not an error to retry', () => {
  it('stops opening when the new channel is archived before the header lands, closes the incident and says why', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      h.slack.failNext('chat.postMessage', { error: 'is_archived' }, 50);
      const reply = await h.slash('503 checkout is down');
      const answer = await h.slack.waitFor(
        () =>
          h.slack
            .responses()
            .find((r) => r.url === reply.responseUrl && JSON.stringify(r.body).includes('archived')),
        5000,
      );
      expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
      await sleep(RETRY_WINDOW_MS);
      // One try at the header, no retry storm.
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
      const store = h.bot.deps.store;
      expect(await store.listOpen()).toEqual([]);
      const [incident] = await store.listRecent(1);
      expect(incident?.status).toBe('resolved');
      expect(h.logs()).not.toContain('timeline delivery failed');
    } finally {
      await h.stop();
    }
  });

  it('stops at once when Slack refuses to create the channel, and tells the requester the fix', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      h.slack.failNext('conversations.create', { error: 'missing_scope' }, 50);
      const reply = await h.slash('503 checkout is down');
      const answer = await h.slack.waitFor(
        () =>
          h.slack
            .responses()
            .find(
              (r) => r.url === reply.responseUrl && JSON.stringify(r.body).includes('could not be opened'),
            ),
        5000,
      );
      expect(JSON.stringify(answer.body)).toContain('channels:manage');
      await sleep(RETRY_WINDOW_MS);
      // One try, no retry storm: a missing scope does not heal by itself.
      expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
      const [incident] = await h.bot.deps.store.listRecent(1);
      expect(incident?.status).toBe('resolved');
      expect(await h.bot.deps.store.listOpen()).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('keeps later entries in Redis only once the channel is archived, trying Slack once each', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      const { id, channel, header } = await openIncident(h);
      expect(await slackApi(h, 'conversations.archive', { channel })).toEqual({ ok: true });
      const card = cardWith(h.slack.thread(channel, header), 'p2-docker-prune');
      await h.click(card, 'skip-p2-docker-prune');
      await expect
        .poll(async () => (await h.bot.deps.store.getAction(id, 'p2-docker-prune'))?.status)
        .toBe('skipped');
      await sleep(RETRY_WINDOW_MS);
      expect(failedCalls(h, 'chat.postMessage', channel).map((c) => c.error)).toEqual(['is_archived']);
      expect(await h.bot.ledger.nextToDeliver(id)).toBe((await h.bot.deps.store.readTimeline(id)).length);
      expect(h.logs()).not.toContain('timeline delivery failed');
    } finally {
      await h.stop();
    }
  });

  it('does not retry a card update Slack refuses because the channel became inactive', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      const { id, channel, header } = await openIncident(h);
      h.slack.failNext('chat.update', { error: 'is_inactive' }, 50);
      await h.click(cardWith(h.slack.thread(channel, header), 'p2-docker-prune'), 'skip-p2-docker-prune');
      await expect
        .poll(async () => (await h.bot.deps.store.getAction(id, 'p2-docker-prune'))?.status)
        .toBe('skipped');
      await sleep(RETRY_WINDOW_MS);
      expect(failedCalls(h, 'chat.update', channel)).toHaveLength(1);
      expect(h.logs()).not.toContain('timeline delivery failed');
    } finally {
      await h.stop();
    }
  });

  it('opens the incident even when the announce channel cannot be posted to', async () => {
    const h = await startHarness({
      redisUrl: inject('redisUrl'),
      env: { INCIDENT_ANNOUNCE_CHANNEL: 'C0NOSUCH01' },
    });
    try {
      const { channel } = await openIncident(h);
      expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0NOSUCH01')).toHaveLength(
        1,
      );
      expect(JSON.stringify(h.slack.responses())).toContain(`is open in <#${channel}>`);
    } finally {
      await h.stop();
    }
  });
});
