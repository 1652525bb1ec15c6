import type { Histogram } from 'prom-client';

/** A finished job as BullMQ's worker events carry it: epoch ms when it started and ended. */
interface FinishedJob {
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
}

/** What this needs of a BullMQ `Worker`: its queue's name and its end-of-job events. */
export interface JobEvents {
  name: string;
  on(event: 'completed', listener: (job: FinishedJob) => void): unknown;
  on(event: 'failed', listener: (job: FinishedJob | undefined) => void): unknown;
}

/**
 * Feeds `firebreak_job_duration_seconds{queue,outcome}` from a worker's own events, so every queue a
 * process works on is measured the same way without its processor knowing. A failed attempt that
 * will be retried counts as a `failed` run; a job failed as stalled (its worker died) counts from
 * when it started to when it was found stalled.
 */
export function observeJobDurations(worker: JobEvents, durations: Histogram<'queue' | 'outcome'>): void {
  const observe = (job: FinishedJob | undefined, outcome: 'completed' | 'failed') => {
    if (!job?.processedOn) return;
    const seconds = Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
    durations.observe({ queue: worker.name, outcome }, seconds);
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job) => observe(job, 'failed'));
}
