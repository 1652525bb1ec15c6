import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { observeJobDurations } from '../../../src/metrics/observe-job-durations.js';
import { parsePrometheusText, samplesOf } from '../../support/prometheus-text.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function connection() {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  closers.push(async () => redis.quit());
  return redis;
}

/** A queue and its name under a prefix of this test's own (never shared, never flushed). */
function queue(name: string) {
  const prefix = `tq${randomBytes(4).toString('hex')}`;
  const q = new Queue(name, { connection: connection(), prefix });
  closers.push(async () => {
    await q.obliterate({ force: true });
    await q.close();
  });
  return { q, prefix };
}

describe('firebreak_queue_jobs', () => {
  it("reads each queue's jobs per state from Redis on every scrape", async () => {
    const { q: actions } = queue('firebreak-actions');
    const { q: deliveries } = queue('firebreak-deliveries');
    await actions.add('run', {}, { jobId: 'a1' });
    await actions.add('run', {}, { jobId: 'a2' });
    await actions.add('run', {}, { jobId: 'a3', delay: 60_000 });
    const metrics = createMetrics({ queues: [actions, deliveries] });

    const first = parsePrometheusText(await metrics.registry.metrics());
    expect(first.get('firebreak_queue_jobs')?.type).toBe('gauge');
    const value = (f: typeof first, queueName: string, state: string) =>
      samplesOf(f, 'firebreak_queue_jobs', { queue: queueName, state })[0]?.value;
    expect(value(first, 'firebreak-actions', 'waiting')).toBe(2);
    expect(value(first, 'firebreak-actions', 'delayed')).toBe(1);
    expect(value(first, 'firebreak-actions', 'active')).toBe(0);
    expect(value(first, 'firebreak-deliveries', 'waiting')).toBe(0);

    await actions.remove('a1');
    const second = parsePrometheusText(await metrics.registry.metrics());
    expect(value(second, 'firebreak-actions', 'waiting')).toBe(1);
  });

  it('counts a queue opened after the metrics from the next scrape on, once however often it is watched', async () => {
    const metrics = createMetrics();
    const { q: generation } = queue('firebreak-actions-generation');
    await generation.add('run', {}, { jobId: 'g1' });
    const before = parsePrometheusText(await metrics.registry.metrics());
    expect(samplesOf(before, 'firebreak_queue_jobs', { queue: 'firebreak-actions-generation' })).toEqual([]);

    metrics.queueJobs.watch(generation);
    metrics.queueJobs.watch(generation);
    const after = parsePrometheusText(await metrics.registry.metrics());
    expect(
      samplesOf(after, 'firebreak_queue_jobs', { queue: 'firebreak-actions-generation', state: 'waiting' }),
    ).toEqual([expect.objectContaining({ value: 1 })]);
  });

  it('leaves out a queue whose counts do not come within a second, and still answers', async () => {
    const { q: actions } = queue('firebreak-actions');
    const hanging = {
      name: 'firebreak-incidents',
      getJobCounts: () => new Promise<Record<string, number>>(() => {}),
    };
    const failing = {
      name: 'firebreak-deliveries',
      getJobCounts: () => Promise.reject(new Error('READONLY')),
    };
    const metrics = createMetrics({ queues: [actions, hanging, failing] });
    const families = parsePrometheusText(await metrics.registry.metrics());
    const queues = new Set(samplesOf(families, 'firebreak_queue_jobs').map((s) => s.labels.queue));
    expect([...queues]).toEqual(['firebreak-actions']);
  });
});

describe('firebreak_job_duration_seconds', () => {
  it("observes each job a worker completes or fails, by queue and outcome, from the worker's events", async () => {
    const { q, prefix } = queue('firebreak-incidents');
    const metrics = createMetrics();
    const worker = new Worker(
      'firebreak-incidents',
      async (job) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (job.data.fail) throw new Error('surface unusable');
      },
      { connection: connection(), prefix, autorun: false },
    );
    closers.push(() => worker.close());
    observeJobDurations(worker, metrics.jobDuration);
    const done = new Promise<void>((resolve) => {
      let finished = 0;
      const one = () => {
        finished += 1;
        if (finished === 3) resolve();
      };
      worker.on('completed', one);
      worker.on('failed', one);
    });
    await q.add('open', { fail: false });
    await q.add('open', { fail: false });
    await q.add('open', { fail: true });
    void worker.run();
    await done;

    const families = parsePrometheusText(await metrics.registry.metrics());
    expect(families.get('firebreak_job_duration_seconds')?.type).toBe('histogram');
    const count = (outcome: string) =>
      samplesOf(families, 'firebreak_job_duration_seconds', { queue: 'firebreak-incidents', outcome }).find(
        (s) => s.name.endsWith('_count'),
      )?.value;
    expect(count('completed')).toBe(2);
    expect(count('failed')).toBe(1);
    const sum = samplesOf(families, 'firebreak_job_duration_seconds', { outcome: 'completed' }).find((s) =>
      s.name.endsWith('_sum'),
    );
    expect(sum?.value).toBeGreaterThanOrEqual(0.05);
  });
});
