import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const CHECK_QUEUE = 'firebreak-checks';

/**
 * A scheduled run of recovery checks: ids only. `within` is the tier (`5m`, `30m`, `1h`) whose time
 * came; `recheck` numbers the re-runs of the first tier while the incident has not recovered yet.
 */
export const checkJobSchema = z.strictObject({
  incidentId: z.string().min(1),
  within: z.string().min(1),
  recheck: z.number().int().min(0).default(0),
});
export type CheckJob = z.infer<typeof checkJobSchema>;

/**
 * Deterministic per incident, tier and re-run, so scheduling again after a restart, or from a second
 * replica, adds the same job and BullMQ ignores it. No `:`, never all digits (BullMQ's rules).
 */
export function checkJobId(job: Pick<CheckJob, 'incidentId' | 'within'> & { recheck?: number }): string {
  return job.recheck
    ? `chk-${job.incidentId}-${job.within}-r${job.recheck}`
    : `chk-${job.incidentId}-${job.within}`;
}

export function createCheckQueue(connection: ConnectionOptions, prefix?: string): Queue<CheckJob> {
  return new Queue<CheckJob>(CHECK_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // Probes never throw; a failed run is Redis itself failing: retry a few times.
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      // Kept a week, so that re-adding the same id stays a no-op; `ran:<job id>` in the checklist
      // record is the lasting once-only guard after that.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
