import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { drillCard, type FaultStack, stalledAndDelivered, startFaultStack } from './fault-stack.js';

/**
 * `kill -9` of the bot (executors in-process) while an approved restart is running against its
 * target. The restarted bot finds the job stalled and fails it as "outcome unknown" — it never runs
 * it again — and the thread ends up whole: every entry once, in order, the card saying so.
 */
let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack(inject('redisUrl'));
});
afterAll(async () => {
  await stack?.stop();
});

it('after kill -9 mid-action: the action is failed as outcome unknown, run once, and the thread is whole', async () => {
  const first = await stack.startBot();
  expect(await stack.slash(first, 'drill the bot dies')).toBe(200);
  const { channel, card: offered } = await drillCard(stack);
  const [incident] = await stack.store.listOpen();
  if (!incident) throw new Error('no incident');
  expect(await stack.click(first, channel, offered, 'approve-slow-restart')).toBe(200);
  await stack.slack.waitFor(() => stack.calls('/restart') === 1 || undefined, 15_000);

  await first.kill('SIGKILL');
  const second = await stack.startBot();
  // Found dead (its heartbeat, or BullMQ's stalled check) and failed, never re-run (maxStalledCount 0).
  const thread = await stalledAndDelivered(stack, incident.id, 'slow-restart');
  const text = thread.map((m) => m.text);
  expect(text.filter((t) => t.includes('approved *P1 · Restart the slow service*'))).toHaveLength(1);
  expect(text.filter((t) => t.includes('Running *P1 · Restart the slow service*'))).toHaveLength(1);
  expect(text.filter((t) => t.includes('*P1 · Restart the slow service* failed'))).toHaveLength(1);
  const cardNow = thread.find((m) => m.ts === offered.ts);
  expect(JSON.stringify(cardNow?.blocks)).toContain('outcome is unknown');
  // Run once: the restarted bot did not send the restart again.
  expect(stack.calls('/restart')).toBe(1);
  await second.kill('SIGTERM');
}, 200_000);
