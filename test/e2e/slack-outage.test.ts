import { describe, expect, inject, it } from 'vitest';
import type { FakeFailure } from '../../src/fake-slack/index.js';
import { type BotHarness, startHarness } from '../support/bot-harness.js';
import { expectThreadIntact, onlyOpenIncident, openingDelivered } from '../support/incident-thread-order.js';

/** Opens a 503 incident while Slack fails `times` chat.postMessage calls, and returns once the thread is done. */
async function openThrough(h: BotHarness, failure: FakeFailure, times: number) {
  h.slack.failNext('chat.postMessage', failure, times);
  const started = Date.now();
  const reply = await h.slash('503 checkout is down');
  // The slash command itself never waits for Slack's Web API.
  expect(reply.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(3000);
  const store = h.bot.deps.store;
  const id = await h.slack
    .waitFor(() => h.slack.callsTo('conversations.create').length > 0 || undefined, 5000)
    .then(() => onlyOpenIncident(store));
  await openingDelivered(h.slack, store, h.bot.ledger, id, 15_000);
  return id;
}

async function expectCompleteInOrderOnce(h: BotHarness, id: string, failed: number) {
  // Every entry, in the timeline's order, once: no gap, no duplicate, nothing out of place.
  await expectThreadIntact(h.slack, h.bot.deps.store, h.bot.ledger, id);
  const channel = (await h.bot.ledger.read(id)).channel?.id as string;
  // One header: the channel holds nothing but it and its thread.
  expect(h.slack.messages(channel)).toHaveLength(1);
  // The failures were really served (Slack was down for a while), and retried past.
  expect(h.slack.callsTo('chat.postMessage').filter((c) => !c.ok)).toHaveLength(failed);
  // The requester heard where the incident is.
  expect(JSON.stringify(h.slack.responses())).toContain(`is open in <#${channel}>`);
}

describe('Slack briefly down while an incident opens', () => {
  it('recovers from HTTP 500s: the thread ends up complete, in order, without duplicates', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      const id = await openThrough(h, { status: 500 }, 3);
      await expectCompleteInOrderOnce(h, id, 3);
    } finally {
      await h.stop();
    }
  });

  it('waits out rate limits: the thread ends up complete, in order, without duplicates', async () => {
    const h = await startHarness({ redisUrl: inject('redisUrl') });
    try {
      const id = await openThrough(h, { rateLimited: 1 }, 2);
      await expectCompleteInOrderOnce(h, id, 2);
    } finally {
      await h.stop();
    }
  });
});
