import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { drillCard, expectDelivered, type FaultStack, startFaultStack } from './fault-stack.js';

/**
 * Slack answering 5xx, then rate-limiting (429 with Retry-After), several calls in a row while an
 * approved action runs and its results are delivered. The action runs once; when Slack is back the
 * thread holds every entry once, in order, and the card shows the result.
 */
let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack(inject('redisUrl'), { holdMs: 500 });
});
afterAll(async () => {
  await stack?.stop();
});

it('runs the action once through a Slack outage and a rate-limit window, and the thread ends up whole', async () => {
  const bot = await stack.startBot();
  expect(await stack.slash(bot, 'drill slack is down')).toBe(200);
  const { channel, card } = await drillCard(stack);
  const [incident] = await stack.store.listOpen();
  if (!incident) throw new Error('no incident');

  // Counted rather than timed, so a slow machine cannot let the outage pass before the bot posts.
  stack.slack.failNext('chat.postMessage', { status: 503 }, 4);
  stack.slack.failNext('chat.update', { status: 500 }, 3);
  expect(await stack.click(bot, channel, card, 'approve-slow-restart')).toBe(200);
  await expect
    .poll(async () => (await stack.store.getAction(incident.id, 'slow-restart'))?.status, { timeout: 10_000 })
    .toBe('succeeded');
  stack.slack.failNext('chat.postMessage', { rateLimited: 1 }, 3);
  stack.slack.failNext('chat.update', { rateLimited: 1 }, 2);
  const headerTs = (await stack.ledger.read(incident.id)).headerTs as string;
  const current = stack.slack.thread(channel, headerTs).find((m) => m.ts === card.ts) ?? card;
  expect(await stack.click(bot, channel, current, 'approve-quick-fix')).toBe(200);

  await expectDelivered(stack, incident.id, 60_000);
  await expect
    .poll(
      () =>
        JSON.stringify(stack.slack.thread(channel, headerTs).find((m) => m.ts === card.ts)?.blocks).match(
          /succeeded/g,
        )?.length,
      { timeout: 30_000 },
    )
    .toBe(2);
  // Slack really was down, then limiting; the work was not repeated for it.
  expect(stack.slack.calls.some((c) => c.status === 503)).toBe(true);
  expect(stack.slack.calls.some((c) => c.status === 429)).toBe(true);
  expect(stack.calls('/restart')).toBe(1);
  expect(stack.calls('/quick')).toBe(1);
  const text = stack.slack.thread(channel, headerTs).map((m) => m.text);
  expect(text.filter((t) => t.includes('*P1 · Restart the slow service* succeeded'))).toHaveLength(1);
  expect(text.filter((t) => t.includes('*P1 · Quick fix* succeeded'))).toHaveLength(1);
  await bot.kill('SIGTERM');
}, 120_000);
