import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { WHOLE_INCIDENT_DECISIONS } from '../../src/dev/whole-incident.js';
import { ALICE, BOB, type BotHarness, startHarness } from '../support/bot-harness.js';
import { expectThreadIntact, onlyOpenIncident, openingDelivered } from '../support/incident-thread-order.js';

/**
 * The Web API calls of one whole 503 incident — open → snapshot → 10 decided actions → resolve —
 * counted and kept within a budget (documented in docs/benchmarks.md). At one message per second
 * per channel, every message is a second of a thread's time, and every call counts against
 * Slack's per-method tiers for the whole workspace.
 */
const BUDGET = {
  /** The opening: channel, invite, header and pin, announcement, snapshot, two card messages, header update. */
  opening: 9,
  /**
   * Messages posted into the incident channel (header and thread), the 1-per-second resource: at
   * most the header, the snapshot, three card messages, the live checklist and one line per entry
   * told (about 30). Lines that arrive together share a message, so a run usually posts far fewer.
   */
  channelMessages: 36,
  /** Everything, with the ten actions, the resolve and its postmortem file (25–52 measured). */
  total: 72,
};

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
});
afterAll(async () => {
  await h?.stop();
});

it('opens, runs ten decisions and resolves a 503 incident within its Web API budget', async () => {
  const { slack } = h;
  const counted = () => slack.calls.filter((c) => c.method !== 'auth.test');
  await h.slash('503 budget run');
  await slack.waitFor(() => slack.callsTo('conversations.create').length > 0 || undefined, 5000);
  const store = h.bot.deps.store;
  const id = await onlyOpenIncident(store);
  await openingDelivered(slack, store, h.bot.ledger, id, 20_000);
  // The announcement is posted by its own queue: wait for it to count it with the opening.
  await slack.waitFor(() => slack.messages(h.announceChannel).length > 0 || undefined, 10_000);
  const opening = counted().length;

  const { channel, headerTs } = await h.bot.ledger.read(id);
  const thread = () => slack.thread(channel?.id as string, headerTs as string);
  for (const [actionId, decision] of WHOLE_INCIDENT_DECISIONS) {
    const card = await slack.waitFor(
      () => thread().find((m) => m.blocks.some((b) => b.block_id === `action-${actionId}`)),
      10_000,
    );
    await h.click(card, `${decision}-${actionId}`, decision === 'approve' ? ALICE : BOB);
    await expect
      .poll(async () => (await store.getAction(id, actionId))?.status, { timeout: 10_000, interval: 50 })
      .toMatch(decision === 'approve' ? /succeeded|failed/ : /skipped/);
  }
  // With a reason: the recovery checklist's scheduled checks have not run yet in a run this short.
  const resolve = await h.slash('resolve budget run over', { channel: channel?.id as string });
  const answer = await slack.waitFor(
    () => slack.responses().find((r) => r.url === resolve.responseUrl),
    10_000,
  );
  await expect
    .poll(async () => (await store.get(id))?.status, {
      timeout: 10_000,
      message: JSON.stringify(answer.body),
    })
    .toBe('resolved');
  await expect
    .poll(async () => (await h.bot.ledger.read(id)).next === (await store.readTimeline(id)).length, {
      timeout: 10_000,
    })
    .toBe(true);
  await expectThreadIntact(slack, store, h.bot.ledger, id);

  const byMethod = new Map<string, number>();
  for (const call of counted()) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
  const channelMessages = slack
    .callsTo('chat.postMessage')
    .filter((c) => c.ok && c.args.channel === channel?.id).length;
  // The numbers docs/benchmarks.md reports, for whoever changes them next.
  console.info(
    `Web API calls of a whole 503 incident: opening ${opening}, total ${counted().length}, ` +
      `channel messages ${channelMessages}: ${JSON.stringify(Object.fromEntries([...byMethod].sort()))}`,
  );
  expect(opening).toBeLessThanOrEqual(BUDGET.opening);
  expect(counted().length).toBeLessThanOrEqual(BUDGET.total);
  expect(channelMessages).toBeLessThanOrEqual(BUDGET.channelMessages);
  // Every call succeeded: the budget is what a healthy run costs, with no retry hidden in it.
  expect(counted().filter((c) => !c.ok)).toEqual([]);
}, 120_000);
