import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  drillCard,
  expectDelivered,
  type FaultStack,
  stalledAndDelivered,
  startFaultStack,
} from './fault-stack.js';

/**
 * The production split — the bot with EXECUTORS=off, `npm run worker` on the host — and `kill -9`
 * of the worker while it runs an approved restart. A new worker finds the job stalled and fails it
 * as "outcome unknown" without running it again; an action approved meanwhile on the same target
 * waits — for a worker, then for the dead restart to be closed — and runs once; the bot delivers
 * all of it to the thread.
 */
let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack(inject('redisUrl'));
});
afterAll(async () => {
  await stack?.stop();
});

it('after kill -9 of the worker mid-action: failed as outcome unknown, nothing run twice, nothing lost', async () => {
  const bot = await stack.startBot({ EXECUTORS: 'off' });
  const firstWorker = await stack.startWorker();
  expect(await stack.slash(bot, 'drill the worker dies')).toBe(200);
  const { channel, card } = await drillCard(stack);
  const [incident] = await stack.store.listOpen();
  if (!incident) throw new Error('no incident');
  expect(await stack.click(bot, channel, card, 'approve-slow-restart')).toBe(200);
  await stack.slack.waitFor(() => stack.calls('/restart') === 1 || undefined, 15_000);

  await firstWorker.kill('SIGKILL');
  // Approved while no worker runs: it waits in the queue, it is not lost.
  const refreshed = stack.slack.thread(channel, (await stack.ledger.read(incident.id)).headerTs as string);
  const current = refreshed.find((m) => m.ts === card.ts) ?? card;
  expect(await stack.click(bot, channel, current, 'approve-quick-fix')).toBe(200);
  await expect
    .poll(async () => (await stack.store.getAction(incident.id, 'quick-fix'))?.status, { timeout: 10_000 })
    .toBe('queued');
  expect(stack.calls('/quick')).toBe(0);

  const secondWorker = await stack.startWorker();
  await stalledAndDelivered(stack, incident.id, 'slow-restart');
  // One action at a time per target: the quick fix waited behind the dead restart, and runs now.
  await expect
    .poll(async () => (await stack.store.getAction(incident.id, 'quick-fix'))?.status, { timeout: 30_000 })
    .toBe('succeeded');
  await expectDelivered(stack, incident.id, 20_000);
  const thread = stack.slack.thread(channel, (await stack.ledger.read(incident.id)).headerTs as string);
  const text = thread.map((m) => m.text);
  expect(text.filter((t) => t.includes('*P1 · Restart the slow service* failed'))).toHaveLength(1);
  expect(text.filter((t) => t.includes('*P1 · Quick fix* succeeded'))).toHaveLength(1);
  expect(JSON.stringify(thread.find((m) => m.ts === card.ts)?.blocks)).toContain('outcome is unknown');
  expect(stack.calls('/restart')).toBe(1);
  expect(stack.calls('/quick')).toBe(1);
  await secondWorker.kill('SIGTERM');
  await bot.kill('SIGTERM');
}, 200_000);
