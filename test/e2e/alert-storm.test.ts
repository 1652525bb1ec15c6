import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlertQueue } from '../../src/alerts/alert-queue.js';
import type { RunningBot } from '../../src/app/start-bot.js';
import { ALICE, type BotHarness, incidentThread, startHarness } from '../support/bot-harness.js';

const TOKEN = 'storm-test-token-0123456789abcdef';
const firing = readFileSync('test/fixtures/alertmanager/firing.json', 'utf8');

/** POSTs `body` `count` times, `concurrency` at a time, round-robin over the replicas' URLs. */
async function storm(urls: readonly string[], body: string, count: number, concurrency: number) {
  const statuses: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const url = urls[next++ % urls.length];
      const res = await fetch(`${url}/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body,
      });
      await res.text();
      statuses.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}

/**
 * An alert storm through the real bot, on two replicas sharing one Redis, as behind a load balancer:
 * a thousand deliveries of one group open one incident and one channel, and nobody typing
 * `/incident 503` afterwards opens a second.
 */
describe('an alert storm over two replicas', () => {
  let h: BotHarness;
  let replica: RunningBot;

  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl'), env: { ALERT_WEBHOOK_TOKEN: TOKEN } });
    replica = await h.stack.startReplica();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('1,000 deliveries of one group open exactly one incident and one channel', async () => {
    const statuses = await storm([h.bot.url, replica.url], firing, 1000, 50);
    expect(statuses).toHaveLength(1000);
    expect(new Set(statuses)).toEqual(new Set([202]));

    const { channel } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.text.startsWith('Diagnostic snapshot')),
    );
    // Every delivery handled, by one replica or the other: the alert queue is empty.
    const redis = new Redis(inject('redisUrl'));
    const queue = createAlertQueue(redis, h.stack.prefix);
    try {
      for (let tries = 0; ; tries++) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        if (Object.values(counts).every((n) => n === 0)) break;
        if (tries > 500) throw new Error(`the alert queue did not drain: ${JSON.stringify(counts)}`);
        await sleep(20);
      }
    } finally {
      await queue.close();
      redis.disconnect();
    }
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
    expect(h.slack.channels().filter((c) => c.name.startsWith('inc-'))).toEqual([channel]);
    expect(await h.bot.deps.store.listRecent(10)).toHaveLength(1);
    // The storm came within the minute: no "still firing" entry.
    const [incident] = await h.bot.deps.store.listOpen();
    const timeline = await h.bot.deps.store.readTimeline(incident?.id as string);
    expect(timeline.filter((e) => e.type.startsWith('alert.'))).toEqual([]);
    // Each replica counts what it answered.
    const answered = await Promise.all(
      [h.bot.url, replica.url].map(async (url) => {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        return Number(
          /firebreak_alert_webhook_requests_total\{outcome="accepted"\} (\d+)/.exec(metrics)?.[1] ?? 0,
        );
      }),
    );
    expect(answered.reduce((sum, n) => sum + n, 0)).toBe(1000);
  });

  it('points /incident 503 to the incident the alert opened; `new` opens a second on purpose', async () => {
    const [incident] = await h.bot.deps.store.listOpen();
    const { channel } = await incidentThread(h.slack, () => true);
    const reply = await h.slash('503 checkout is down');
    const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === reply.responseUrl));
    expect(JSON.stringify(answer.body)).toContain(`already opened incident *${incident?.id}*`);
    expect(JSON.stringify(answer.body)).toContain(`<#${channel.id}>`);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);

    await h.slash('503 new a second one, on purpose', { user: ALICE });
    await h.slack.waitFor(() => h.slack.callsTo('conversations.create').length === 2 || undefined, 10_000);
    expect((await h.bot.deps.store.listOpen()).map((i) => i.openedVia).sort()).toEqual([
      'alertmanager',
      'slack',
    ]);
  });
});
