import { Gauge, type Registry } from 'prom-client';
import { within } from '../lifecycle/within.js';

/** What the gauge reads of a queue: BullMQ's `Queue` fits. */
export interface JobCountSource {
  name: string;
  getJobCounts(...states: QueueState[]): Promise<Partial<Record<string, number>>>;
}

/** The states a queue's depth is made of, plus `failed` (kept for inspection, never retried by itself). */
export const QUEUE_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** A scrape must answer even when Redis does not: queues that miss this are left out of the answer. */
const SCRAPE_BUDGET_MS = 1000;

export interface QueueJobsGauge {
  gauge: Gauge<'queue' | 'state'>;
  /**
   * Counts queues opened after the core: the per-role action queues, a surface's own (alerts,
   * announcements). A queue already counted, by name, is not added twice.
   */
  watch(...queues: JobCountSource[]): void;
}

/**
 * `firebreak_queue_jobs{queue,state}`: jobs per queue and state, read from Redis on each scrape
 * (never cached, so it cannot go stale). A queue whose counts do not arrive within a second is
 * absent from that scrape rather than failing `/metrics` or reporting an old number.
 */
export function queueJobsGauge(registers: Registry[], queues: readonly JobCountSource[]): QueueJobsGauge {
  const sources: JobCountSource[] = [];
  const watch = (...more: JobCountSource[]) => {
    for (const queue of more) if (!sources.some((s) => s.name === queue.name)) sources.push(queue);
  };
  watch(...queues);
  const gauge = new Gauge({
    name: 'firebreak_queue_jobs',
    help: 'Jobs per BullMQ queue and state (waiting, prioritized, delayed, active, failed), read on each scrape.',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      const counts = await Promise.all(
        sources.map(async (queue) => ({
          queue: queue.name,
          counts: await within(
            queue.getJobCounts(...QUEUE_STATES).catch(() => undefined),
            SCRAPE_BUDGET_MS,
          ),
        })),
      );
      for (const { queue, counts: byState } of counts) {
        if (!byState) continue;
        for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
      }
    },
  });
  return { gauge, watch };
}
