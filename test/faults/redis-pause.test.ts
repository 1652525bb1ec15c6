import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningRedisServer, startRedisServer } from '../../src/dev/start-redis-server.js';
import { drillCard, expectDelivered, type FaultStack, startFaultStack } from './fault-stack.js';

/**
 * Redis frozen (SIGSTOP) — a stuck host, a long fork, a VM paused — with clicks and commands
 * arriving, and while an action runs. This file starts its own redis-server and signals only that
 * one. Slack still gets its acks at once; once Redis is back (SIGCONT) every click did its work
 * once, the running action finished once, and the thread holds every entry once, in order.
 */
let redis: RunningRedisServer;
let stack: FaultStack;
beforeAll(async () => {
  redis = await startRedisServer();
  stack = await startFaultStack(redis.url, { holdMs: 3000 });
});
afterAll(async () => {
  // Never leave it stopped: a frozen server would hang its own shutdown.
  if (redis?.pid) process.kill(redis.pid, 'SIGCONT');
  await stack?.stop();
  await redis?.stop();
});

const freeze = () => process.kill(redis.pid as number, 'SIGSTOP');
const thaw = () => process.kill(redis.pid as number, 'SIGCONT');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('acks while Redis is frozen, and does every click once when it thaws; an action running through it finishes once', async () => {
  const bot = await stack.startBot();
  expect(await stack.slash(bot, 'drill redis freezes')).toBe(200);
  const { channel, card } = await drillCard(stack);
  const [incident] = await stack.store.listOpen();
  if (!incident) throw new Error('no incident');

  freeze();
  try {
    // Slack's 3 s: the ack never waits on Redis. The same click three times, and a command.
    const clicks = await Promise.all(
      [1, 2, 3].map(() => stack.click(bot, channel, card, 'approve-quick-fix')),
    );
    expect(clicks).toEqual([200, 200, 200]);
    expect(await stack.slash(bot, 'status')).toBe(200);
    await pause(3000);
    expect(stack.calls('/quick')).toBe(0);
  } finally {
    thaw();
  }
  await expect
    .poll(async () => (await stack.store.getAction(incident.id, 'quick-fix'))?.status, { timeout: 20_000 })
    .toBe('succeeded');

  // Frozen again while the restart is running against its target.
  const headerTs = (await stack.ledger.read(incident.id)).headerTs as string;
  const current = stack.slack.thread(channel, headerTs).find((m) => m.ts === card.ts) ?? card;
  expect(await stack.click(bot, channel, current, 'approve-slow-restart')).toBe(200);
  await stack.slack.waitFor(() => stack.calls('/restart') === 1 || undefined, 10_000);
  freeze();
  await pause(4000);
  thaw();
  await expect
    .poll(async () => (await stack.store.getAction(incident.id, 'slow-restart'))?.status, { timeout: 20_000 })
    .toBe('succeeded');
  await expectDelivered(stack, incident.id, 20_000);

  expect(stack.calls('/quick')).toBe(1);
  expect(stack.calls('/restart')).toBe(1);
  const timeline = await stack.store.readTimeline(incident.id);
  expect(timeline.filter((e) => e.type === 'action.decided')).toHaveLength(2);
  expect(timeline.filter((e) => e.type === 'action.finished' && e.status === 'succeeded')).toHaveLength(2);
  await bot.kill('SIGTERM');
}, 120_000);
