import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { openingDelivered } from '../src/dev/opening-delivered.js';
import type { LocalStack } from '../src/dev/start-local-stack.js';
import { findButton } from '../src/fake-slack/index.js';
import { fixed, summarize, table, waitUntil } from './bench-stats.js';

/** When each path of the bench target was first called (performance.now()). */
export type Arrivals = Map<string, number>;

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('bench: timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Raw BullMQ on the same Redis: `queue.add` → the processor starts, one job at a time. */
async function rawBullmq(redisUrl: string, samples: number): Promise<number[]> {
  const prefix = `bench-raw-${process.pid}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const started = new Map<number, number>();
  const queue = new Queue('bench-raw', { connection, prefix });
  const worker = new Worker(
    'bench-raw',
    async (job) => {
      started.set(job.data.i as number, performance.now());
    },
    { connection: connection.duplicate(), prefix, concurrency: 4 },
  );
  await worker.waitUntilReady();
  const ms: number[] = [];
  try {
    for (let i = -5; i < samples; i++) {
      const t0 = performance.now();
      await queue.add('run', { i }, { jobId: `raw-${i + 5}`, removeOnComplete: true });
      await until(() => started.has(i), 10_000);
      if (i >= 0) ms.push((started.get(i) as number) - t0);
    }
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
  return ms;
}

/**
 * A click on Approve (signed, through the receiver, the policy, the compare-and-set, the timeline and
 * the action queue) until the executor's HTTP request reaches its target, against raw BullMQ add →
 * process on the same Redis. `bench.yaml` offers `act-01` … `act-12`, each calling `/act/<n>`.
 */
export async function measureApprovalRatio(
  stack: LocalStack,
  redisUrl: string,
  arrivals: Arrivals,
  incidents = 3,
): Promise<string> {
  const ours: number[] = [];
  for (let k = 0; k < incidents; k++) {
    const before = new Set((await stack.bot.deps.store.listRecent(1000)).map((i) => i.id));
    await stack.slash(`bench approvals ${k}`, 'U0BENCH001');
    let incidentId: string | undefined;
    await waitUntil(async () => {
      incidentId ??= (await stack.bot.deps.store.listRecent(1000)).find((i) => !before.has(i.id))?.id;
      return incidentId !== undefined && (await openingDelivered(stack.bot, incidentId));
    }, 60_000);
    const { channel, headerTs } = await stack.bot.ledger.read(incidentId as string);
    const cards = stack.slack
      .thread(channel?.id as string, headerTs as string)
      .filter((m) => m.blocks.some((b) => b.type === 'actions'));
    for (let n = 1; n <= 12; n++) {
      const id = `act-${String(n).padStart(2, '0')}`;
      const card = cards.find((m) => findButton(m, (b) => b.action_id === `approve-${id}`));
      if (!card) throw new Error(`bench: no card offers ${id}`);
      arrivals.delete(`/act/${n}`);
      const t0 = performance.now();
      await stack.click(card, `approve-${id}`, 'U0BENCH001');
      await until(() => arrivals.has(`/act/${n}`), 10_000);
      ours.push((arrivals.get(`/act/${n}`) as number) - t0);
    }
  }
  const raw = summarize(await rawBullmq(redisUrl, ours.length));
  const fb = summarize(ours);
  return table(
    ['path', 'samples', 'p50 ms', 'p99 ms'],
    [
      ['raw BullMQ: add → processor starts', String(raw.n), fixed(raw.p50, 2), fixed(raw.p99, 2)],
      [
        'Firebreak: Approve click → executor reaches target',
        String(fb.n),
        fixed(fb.p50, 2),
        fixed(fb.p99, 2),
      ],
      ['ratio (Firebreak / raw)', '', `${fixed(fb.p50 / raw.p50, 1)}×`, `${fixed(fb.p99 / raw.p99, 1)}×`],
    ],
  );
}
