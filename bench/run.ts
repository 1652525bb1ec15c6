/**
 * `npm run bench` — Firebreak's speed and memory targets, measured against a baseline taken in the
 * same run on the same machine: the bot's own `GET /healthz` (the cheapest request through the same
 * HTTP stack). Ratios travel between machines; the absolute budgets that matter are Slack's: every
 * slash command and click acknowledged within 3 s, even while Redis stalls; and, at Slack's real
 * pace of one message per second per channel (the bot's shipped pacer, nothing shortened), 50
 * incidents opened at once each get their snapshot within 2 s of their slowest probe and their P1
 * card within its 30 s deadline. Bursts of 10, 50 and 100 show how that grows; one whole incident
 * shows its Web API calls, messages and Redis commands (INFO commandstats of the bench's own Redis).
 *
 * Everything runs on loopback (own redis-server, sandbox at its default 2.5 s overload latency, fake
 * Slack) and stops by itself. Exit code 1 when a target is missed. Results: docs/benchmarks.md.
 */
import { Redis } from 'ioredis';
import { startLocalStack } from '../src/dev/start-local-stack.js';
import { startRedisServer } from '../src/dev/start-redis-server.js';
import { type BurstResult, distribution, measureBurst } from './measure-burst.js';
import { measureIncident } from './measure-incident.js';

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

/** The bench's stack on a Redis of its own. */
const benchStack = (redisUrl: string) =>
  startLocalStack({
    redisUrl,
    mode: 'spike',
    // The sandbox's own overload latency (2.5 s): the slowest probe of a real 503 spike.
    sandboxTiming: { tickMs: 100, historyMs: 5000 },
    // No pacer given: the shipped one, 1 message/s per channel with a burst of 4, kept in Redis.
    logLevel: 'silent',
    // One user opens every incident of these bursts on purpose: the opening limits would refuse most.
    env: { INCIDENT_OPEN_LIMIT_PER_USER: 'off', INCIDENT_OPEN_LIMIT_GLOBAL: 'off' },
  });

/**
 * One whole incident alone: a fresh stack on a fresh redis-server, so the calls and commands counted
 * are that incident's own — not the reminders, escalations and announcements of the ack samples' and
 * bursts' incidents still open on the main stack (their P1/P2/P3 deadlines fire during any later
 * window). The main stack is stopped first, so it takes no CPU from this one either.
 */
async function wholeIncidentAlone() {
  const redisServer = await startRedisServer();
  const stack = await benchStack(redisServer.url);
  const admin = new Redis(redisServer.url);
  try {
    return await measureIncident(stack, admin);
  } finally {
    admin.disconnect();
    await stack.stop();
    await redisServer.stop();
  }
}

async function main(): Promise<number> {
  const redisServer = await startRedisServer();
  const stack = await benchStack(redisServer.url);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stack.stop();
    await redisServer.stop();
  };
  const watchdog = setTimeout(() => {
    console.error('bench: watchdog fired after 900 s; stopping');
    process.exit(2);
  }, 900_000);
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
    const rssBefore = process.memoryUsage().rss;
    const samples: Sample[] = [];
    samples.push(await repeat('GET /healthz (baseline)', 300, () => fetch(health).then((r) => r.text())));
    samples.push(await repeat('/incident help → ack', 200, () => stack.slash('help', user)));
    const opened = await repeat('/incident 503 → ack', 30, (i) =>
      stack.slash(`503 bench incident ${i}`, user),
    );
    samples.push(opened);
    const admin = new Redis(redisServer.url);
    // Let the 30 openings above drain, so each burst starts on a quiet bot.
    await stack.slack.waitFor(
      () => stack.slack.channels().filter((c) => c.name.startsWith('inc-')).length >= 31 || undefined,
      120_000,
    );
    await new Promise((r) => setTimeout(r, 8000));

    const bursts: BurstResult[] = [];
    for (const n of [10, 50, 100]) {
      bursts.push(await measureBurst(stack, admin, n, `b${n}`));
      await new Promise((r) => setTimeout(r, 5000));
    }

    // The ack must not wait on Redis: pause every client of the bot's Redis for 1.5 s and open one.
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
    const rssAfter = process.memoryUsage().rss;
    await stop();
    const whole = await wholeIncidentAlone();
    // The ack samples, the three bursts and the paused acks (the whole incident runs on a stack of its own).
    const incidents = 30 + 10 + 50 + 100 + 5;
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log("\nIncidents opened at once, at Slack's real pace (1 message/s per channel, burst 4):");
    console.log(
      `${'n'.padStart(4)}  ${'to snapshot p50/p90/max s'.padEnd(27)} ${'after slowest probe max s'.padEnd(26)} ${'to P1 card p50/p90/max s'.padEnd(26)} msgs/inc  redis cmds/inc  Redis KiB/inc  all delivered s`,
    );
    let failed = false;
    for (const b of bursts) {
      const snap = distribution(b.toSnapshot);
      const after = distribution(b.afterSlowestProbe);
      const p1 = distribution(b.toP1Card);
      console.log(
        `${String(b.incidents).padStart(4)}  ${`${s(snap.p50)} / ${s(snap.p90)} / ${s(snap.max)}`.padEnd(27)} ${`${s(after.max)} (p50 ${s(after.p50)})`.padEnd(26)} ${`${s(p1.p50)} / ${s(p1.p90)} / ${s(p1.max)}`.padEnd(26)} ${b.messagesPerIncident.toFixed(1).padStart(8)}  ${b.redisCommandsPerIncident.toFixed(0).padStart(14)}  ${(b.redisBytesPerIncident / 1024).toFixed(1).padStart(13)}  ${s(b.wallMs).padStart(15)}`,
      );
      if (b.incidents === 50) {
        const ok = after.max <= 2000 && p1.max <= 30_000;
        failed ||= !ok;
        console.log(
          `      target for 50: snapshot ≤ slowest probe + 2 s, P1 card ≤ 30 s: ${ok ? 'ok' : 'MISSED'}`,
        );
      }
    }
    console.log(
      `\nOne whole incident (open → snapshot → 10 decisions → resolve), alone on a fresh stack, at the real pace: ${s(whole.wallMs)} s, ` +
        `${Object.values(whole.webApiCalls).reduce((a, b) => a + b, 0)} Web API calls ${JSON.stringify(whole.webApiCalls)}, ` +
        `${whole.channelMessages} messages in its channel, ${whole.redisCommands} Redis commands`,
    );

    const base = percentile(samples[0]?.ms ?? [], 50);
    console.log(
      `\nFirebreak bench — baseline GET /healthz p50 ${base.toFixed(2)} ms (same run, same machine)\n`,
    );
    console.log(
      `${'measure'.padEnd(44)} ${'n'.padStart(4)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'p50/base'.padStart(9)}  target`,
    );
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
    console.log(
      `RSS: ${mb(rssBefore)} MB → ${mb(rssAfter)} MB after the same incidents ` +
        `(${((rssAfter - rssBefore) / incidents / 1024).toFixed(0)} KiB per incident; Redis' own share is per burst above)`,
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
