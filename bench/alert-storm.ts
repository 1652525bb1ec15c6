/**
 * `npm run bench` (after bench/run.ts) — an alert storm: 1,000 Alertmanager deliveries of one group,
 * spread over two bot replicas sharing one Redis, must open exactly one incident and one channel,
 * each delivery answered within 100 ms. The time to absorb them (every delivery answered and handled)
 * is measured against 1,000 `GET /healthz` at the same concurrency in the same run: ratios travel
 * between machines, absolute times do not.
 *
 * Everything runs on loopback (own redis-server, sandbox, fake Slack) and stops by itself.
 * Exit code 1 when a target is missed.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createAlertQueue } from '../src/alerts/alert-queue.js';
import { startLocalStack } from '../src/dev/start-local-stack.js';
import { startRedisServer } from '../src/dev/start-redis-server.js';
import { ChannelPacer } from '../src/slack/channel-pacer.js';

const DELIVERIES = 1000;
const CONCURRENCY = 50;
const ANSWER_BUDGET_MS = 100;
const TOKEN = `bench-${'0123456789abcdef'.repeat(2)}`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `count` requests, `lanes` at a time, round-robin over `urls`; each request's time and the total. */
async function burst(urls: readonly string[], count: number, init?: RequestInit, lanes = CONCURRENCY) {
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (next < count) {
      const url = urls[next++ % urls.length] as string;
      const t0 = performance.now();
      const res = await fetch(url, init);
      await res.text();
      ms.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { ms, totalMs: performance.now() - start, statuses };
}

async function main(): Promise<number> {
  const redisServer = await startRedisServer();
  const stack = await startLocalStack({
    redisUrl: redisServer.url,
    mode: 'spike',
    sandboxTiming: { spikeLatencyMs: 50, tickMs: 100, historyMs: 5000 },
    pacer: new ChannelPacer(4, 250),
    logLevel: 'silent',
    env: { ALERT_WEBHOOK_TOKEN: TOKEN },
  });
  const replica = await stack.startReplica();
  const redis = new Redis(redisServer.url);
  const queue = createAlertQueue(redis, stack.prefix);
  const watchdog = setTimeout(() => {
    console.error('bench: watchdog fired after 120 s; stopping');
    process.exit(2);
  }, 120_000);
  watchdog.unref();
  try {
    const bots = [stack.bot.url, replica.url];
    const health = bots.map((url) => `${url}/healthz`);
    const webhook = bots.map((url) => `${url}/alerts/alertmanager`);
    const firing = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8'));
    const post = (payload: unknown): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(payload),
    });
    // Warm up both paths on both replicas (JIT, pools) with a resolved group that opens nothing.
    await burst(health, 100);
    const warmUp = { ...firing, status: 'resolved', groupKey: '{}:{alertname="WarmUp"}' };
    await burst(webhook, 100, post(warmUp));

    const baseline = await burst(health, DELIVERIES);
    const storm = await burst(webhook, DELIVERIES, post(firing));
    const answeredMs = storm.totalMs;
    const t0 = performance.now() - storm.totalMs;
    // Absorbed: every delivery answered, and the queue empty with the incident recorded.
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
      if (Object.values(counts).every((n) => n === 0)) break;
      await sleep(2);
    }
    const absorbedMs = performance.now() - t0;
    const incidents = await stack.bot.deps.store.listRecent(100);
    // The incident's opening (channel, probes, cards) runs in this process too: let it finish first.
    await stack.slack.waitFor(
      () =>
        stack.slack.channels().find((c) => {
          const [header] = stack.slack.messages(c.id);
          return header && stack.slack.thread(c.id, header.ts).some((m) => m.text.includes('actions:'));
        }),
      60_000,
    );
    // One at a time, the answer alone (the client shares this process with both bots, so the storm's
    // per-request times are mostly its own queueing): what one Alertmanager notification waits for.
    const healthOne = await burst(health, 200, undefined, 1);
    const webhookOne = await burst(webhook, 200, post(firing), 1);
    const channels = stack.slack.channels().filter((c) => c.name.startsWith('inc-')).length;
    const creates = stack.slack.callsTo('conversations.create').length;

    const p99 = percentile(webhookOne.ms, 99);
    const accepted = storm.statuses.get(202) ?? 0;
    const checks = [
      { what: 'incidents opened', value: incidents.length, ok: incidents.length === 1, target: '= 1' },
      { what: 'incident channels', value: channels, ok: channels === 1 && creates === 1, target: '= 1' },
      {
        what: 'deliveries accepted (202)',
        value: accepted,
        ok: accepted === DELIVERIES,
        target: `= ${DELIVERIES}`,
      },
      {
        what: 'one delivery answered, p99 ms',
        value: p99.toFixed(2),
        ok: p99 < ANSWER_BUDGET_MS,
        target: `< ${ANSWER_BUDGET_MS}`,
      },
    ];
    console.log(
      `\nFirebreak alert storm — ${DELIVERIES} deliveries of one group over 2 replicas, ${CONCURRENCY} at a time\n`,
    );
    console.log(
      `${'measure'.padEnd(40)} ${'total ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'ratio'.padStart(7)}`,
    );
    const row = (name: string, total: number, ms: number[] | undefined) =>
      console.log(
        `${name.padEnd(40)} ${total.toFixed(0).padStart(9)} ${(ms ? percentile(ms, 50).toFixed(2) : '').padStart(8)} ${(ms ? percentile(ms, 99).toFixed(2) : '').padStart(8)} ${(total / baseline.totalMs).toFixed(2).padStart(6)}x`,
      );
    row(`${DELIVERIES} × GET /healthz (baseline)`, baseline.totalMs, baseline.ms);
    row(`${DELIVERIES} deliveries answered`, answeredMs, storm.ms);
    row(`${DELIVERIES} deliveries absorbed (queue drained)`, absorbedMs, undefined);
    const one = (name: string, ms: number[]) =>
      console.log(
        `${name.padEnd(40)} ${''.padStart(9)} ${percentile(ms, 50).toFixed(2).padStart(8)} ${percentile(ms, 99).toFixed(2).padStart(8)} ${(percentile(ms, 50) / percentile(healthOne.ms, 50)).toFixed(2).padStart(6)}x`,
      );
    one('GET /healthz, one at a time (baseline)', healthOne.ms);
    one('one delivery at a time → 202', webhookOne.ms);
    console.log('');
    let failed = false;
    for (const check of checks) {
      failed ||= !check.ok;
      console.log(
        `${check.what.padEnd(40)} ${String(check.value).padStart(9)}  target ${check.target} ${check.ok ? 'ok' : 'MISSED'}`,
      );
    }
    return failed ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await queue.close();
    redis.disconnect();
    await stack.stop();
    await redisServer.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('bench failed:', err);
    process.exit(1);
  },
);
