import { afterAll, expect, it } from 'vitest';
import { type RunningRedisServer, startRedisServer } from '../../src/dev/start-redis-server.js';
import { type BotHarness, startHarness } from '../support/bot-harness.js';

/**
 * Redis restarted empty under a running bot (no persistence): the bot notices (its data epoch is
 * gone), says so in /readyz, the log and the announce channel, instead of answering old buttons with
 * "does not exist" while looking healthy.
 */
let redis: RunningRedisServer | undefined;
let h: BotHarness | undefined;

afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

it('detects a Redis that restarted empty and says so in /readyz, the log and the announce channel', async () => {
  redis = await startRedisServer();
  h = await startHarness({ redisUrl: redis.url });
  const ready = await fetch(`${h.bot.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ 'redis-data': 'ok' });

  // The same port, a new and empty server: what a restart without AOF looks like to the bot.
  const port = redis.port;
  await redis.stop();
  redis = await startRedisServer({ port });

  const harness = h;
  await expect
    .poll(async () => (await fetch(`${harness.bot.url}/readyz`)).status, { timeout: 15_000, interval: 200 })
    .toBe(503);
  const body = (await (await fetch(`${harness.bot.url}/readyz`)).json()) as Record<string, string>;
  expect(body['redis-data']).toMatch(/^lost at .*restart Firebreak once Redis persists its data/);
  expect(harness.logs()).toContain('Redis lost its data');
  const alert = await harness.slack.waitFor(
    () => harness.slack.messages(harness.announceChannel).find((m) => m.text.includes('lost its data')),
    10_000,
  );
  expect(alert.text).toContain('appendonly yes');
  expect(alert.text).toContain('noeviction');
  // Told once, however many checks ran since.
  await fetch(`${harness.bot.url}/readyz`);
  expect(
    harness.slack.messages(harness.announceChannel).filter((m) => m.text.includes('lost its data')),
  ).toHaveLength(1);
}, 60_000);
