/**
 * `npm run bench` — Firebreak's speed and memory targets, measured against a baseline taken in the
 * same run on the same machine: the bot's own `GET /healthz` (the cheapest request through the same
 * HTTP stack). Ratios travel between machines; the absolute budget that matters is Slack's: every
 * slash command and click must be acknowledged within 3 s, even while Redis stalls.
 *
 * Everything runs on loopback (own redis-server, sandbox, fake Slack) and stops by itself.
 * Exit code 1 when a target is missed.
 */
import { Redis } from 'ioredis';
import { startLocalStack } from '../src/dev/start-local-stack.js';
import { startRedisServer } from '../src/dev/start-redis-server.js';
import { ChannelPacer } from '../src/slack/channel-pacer.js';

const SLACK_ACK_BUDGET_MS = 3000;

interface Sample {
  name: string;
  ms: number[];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function repeat(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<Sample> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await timed(() => fn(i)));
  return { name, ms };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<number> {
  const redisServer = await startRedisServer();
  const stack = await startLocalStack({
    redisUrl: redisServer.url,
    mode: 'spike',
    sandboxTiming: { spikeLatencyMs: 50, tickMs: 100, historyMs: 5000 },
    pacer: new ChannelPacer(1, 1000),
    logLevel: 'silent',
    // One user opens 40 incidents here on purpose: the opening limits would refuse most of them.
    env: { INCIDENT_OPEN_LIMIT_PER_USER: 'off', INCIDENT_OPEN_LIMIT_GLOBAL: 'off' },
  });
  const stop = async () => {
    await stack.stop();
    await redisServer.stop();
  };
  const watchdog = setTimeout(() => {
    console.error('bench: watchdog fired after 180 s; stopping');
    process.exit(2);
  }, 180_000);
  watchdog.unref();
  try {
    const user = 'U0BENCH001';
    const health = `${stack.bot.url}/healthz`;
    // Warm up every path once (JIT, connection pools, first incident).
    for (let i = 0; i < 20; i++) await fetch(health).then((r) => r.text());
    await stack.slash('help', user);
    await stack.slash('503 warm-up', user);
    await stack.slack.waitFor(() => stack.slack.channels().find((c) => c.name.startsWith('inc-')), 15_000);

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const samples: Sample[] = [];
    samples.push(await repeat('GET /healthz (baseline)', 300, () => fetch(health).then((r) => r.text())));
    samples.push(await repeat('/incident help → ack', 200, () => stack.slash('help', user)));
    const opened = await repeat('/incident 503 → ack', 30, (i) =>
      stack.slash(`503 bench incident ${i}`, user),
    );
    samples.push(opened);

    // Time until the snapshot is in the thread, one incident at a time once the backlog is posted.
    const snapshotOf = (marker: string) =>
      stack.slack.channels().some((c) => {
        const header = stack.slack.messages(c.id)[0];
        return (
          header !== undefined &&
          JSON.stringify(header.blocks).includes(marker) &&
          header.replies.some((m) => m.text.startsWith('Diagnostic snapshot'))
        );
      });
    const backlog = performance.now();
    await stack.slack.waitFor(() => snapshotOf('bench incident 29') || undefined, 120_000);
    const backlogMs = performance.now() - backlog;
    const toSnapshot = await repeat('/incident 503 → snapshot posted', 5, async (i) => {
      await stack.slash(`503 snapshot run ${i}`, user);
      await stack.slack.waitFor(() => snapshotOf(`snapshot run ${i}`) || undefined, 60_000);
    });
    samples.push(toSnapshot);

    // The ack must not wait on Redis: pause every client of the bot's Redis for 1.5 s and open one.
    const admin = new Redis(redisServer.url);
    const paused: number[] = [];
    for (let i = 0; i < 5; i++) {
      await admin.client('PAUSE', 1500, 'ALL');
      paused.push(await timed(() => stack.slash(`503 while redis is paused ${i}`, user)));
      await new Promise((r) => setTimeout(r, 1600));
    }
    admin.disconnect();
    samples.push({ name: '/incident 503 → ack, Redis paused 1.5 s', ms: paused });

    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const incidents = 30 + 5 + 5;
    console.log(
      `\n30 incidents opened at once: the last snapshot was posted ${(backlogMs / 1000).toFixed(1)} s after the last ack`,
    );

    const base = percentile(samples[0]?.ms ?? [], 50);
    console.log(
      `\nFirebreak bench — baseline GET /healthz p50 ${base.toFixed(2)} ms (same run, same machine)\n`,
    );
    console.log(
      `${'measure'.padEnd(44)} ${'n'.padStart(4)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'p50/base'.padStart(9)}  target`,
    );
    let failed = false;
    for (const sample of samples) {
      const p50 = percentile(sample.ms, 50);
      const p99 = percentile(sample.ms, 99);
      const isAck = sample.name.includes('ack');
      const ok = !isAck || p99 < SLACK_ACK_BUDGET_MS;
      failed ||= !ok;
      const target = isAck ? `p99 < ${SLACK_ACK_BUDGET_MS} ms ${ok ? 'ok' : 'MISSED'}` : '';
      console.log(
        `${sample.name.padEnd(44)} ${String(sample.ms.length).padStart(4)} ${p50.toFixed(2).padStart(9)} ${p99.toFixed(2).padStart(9)} ${(p50 / base).toFixed(1).padStart(8)}x  ${target}`,
      );
    }
    const perIncident = (heapAfter - heapBefore) / incidents;
    console.log(
      `\nheap: ${mb(heapBefore)} MB → ${mb(heapAfter)} MB after ${incidents} incidents ` +
        `(${(perIncident / 1024).toFixed(0)} KiB per incident, ratio ${(heapAfter / heapBefore).toFixed(2)}x; ` +
        `bot, sandbox and fake Slack share this process${global.gc ? '' : '; run with --expose-gc for steadier numbers'})`,
    );
    return failed ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('bench failed:', err);
    process.exit(1);
  },
);
