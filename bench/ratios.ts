// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings.
/**
 * `npm run bench` (second part) — Firebreak against the least its building blocks can do, measured in
 * the same run on the same machine, so the ratios travel between machines:
 * - the ack of `/incident help` at 1, 50 and 200 concurrent requests, against a bare Bolt app;
 * - an Approve click until the executor reaches its target, against raw BullMQ add → process;
 * - the diagnosis' wall time against its slowest probe.
 * Prints markdown for docs/benchmarks.md. Everything on loopback (own redis-server, sandbox, fake
 * Slack, bench target); everything stops by itself.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startLocalStack } from '../src/dev/start-local-stack.js';
import { startRedisServer } from '../src/dev/start-redis-server.js';
import { measureAckRatio } from './ack-ratio.js';
import { type Arrivals, measureApprovalRatio } from './approval-ratio.js';
import { machine } from './bench-stats.js';
import { measureSnapshotRatio } from './snapshot-ratio.js';

/** Twelve cheap actions in three cards: each approval is one sample of click → executor. */
function benchRunbook(): unknown {
  const ids = Array.from({ length: 12 }, (_, i) => i + 1);
  return {
    kind: 'bench',
    title: 'Bench drill',
    probes: [{ id: 'target', title: 'Target', step: 1, check: { type: 'http', url: '${BENCH_URL}/health' } }],
    groups: ['P1', 'P2', 'P3'].map((id) => ({ id, title: id })),
    actions: ids.map((n) => ({
      id: `act-${String(n).padStart(2, '0')}`,
      title: `Action ${n}`,
      group: `P${Math.ceil(n / 4)}`,
      run: { type: 'http', method: 'POST', url: `\${BENCH_URL}/act/${n}` },
    })),
  };
}

async function main(): Promise<void> {
  const arrivals: Arrivals = new Map();
  const target = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!arrivals.has(path)) arrivals.set(path, performance.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'firebreak-bench-'));
  await copyFile('commands/503.yaml', join(dir, '503.yaml'));
  await writeFile(join(dir, 'bench.yaml'), stringify(benchRunbook()));
  const redis = await startRedisServer();
  const stack = await startLocalStack({
    redisUrl: redis.url,
    mode: 'spike',
    sandboxTiming: { spikeLatencyMs: 50, tickMs: 100, historyMs: 5000 },
    logLevel: 'silent',
    env: {
      RUNBOOK_DIR: dir,
      BENCH_URL: `http://127.0.0.1:${(target.address() as AddressInfo).port}`,
      INCIDENT_OPEN_LIMIT_PER_USER: 'off',
      INCIDENT_OPEN_LIMIT_GLOBAL: 'off',
    },
  });
  const watchdog = setTimeout(() => {
    console.error('bench: watchdog fired after 600 s; stopping');
    process.exit(2);
  }, 600_000);
  watchdog.unref();
  try {
    const step = <T>(name: string, run: () => Promise<T>) => {
      console.error(`bench: ${name}…`);
      return run();
    };
    const ack = await step('acknowledgements', () => measureAckRatio(stack));
    // Snapshots before approvals: the approvals' card updates, paced per channel, would queue ahead of them.
    const snapshot = await step('snapshots', () => measureSnapshotRatio(stack));
    const approval = await step('approvals', () => measureApprovalRatio(stack, redis.url, arrivals));
    console.log(
      [
        `\n## Ratios (${new Date().toISOString().slice(0, 10)})`,
        '',
        `Machine: ${machine()}. Bot, sandbox, fake Slack, bare Bolt, Redis and the load all share it.`,
        '',
        '### Acknowledgement of `/incident help`, against a bare Bolt app',
        '',
        ack,
        '',
        '### Approve click → executor reaches its target, against raw BullMQ add → process',
        '',
        approval,
        '',
        '### Diagnosis wall time against its slowest probe (`/incident 503`, sandbox in a spike)',
        '',
        snapshot,
        '',
      ].join('\n'),
    );
  } finally {
    clearTimeout(watchdog);
    await stack.stop();
    await redis.stop();
    await new Promise((resolve) => target.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('bench failed:', err);
    process.exit(1);
  },
);
