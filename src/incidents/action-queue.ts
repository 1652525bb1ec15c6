import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { actionJobId } from './action-state.js';

export const ACTION_QUEUE = 'firebreak-actions';

/**
 * What a job carries: ids only. The worker reads the action from the runbook and the secrets from
 * its own environment, because job data is stored in plain text in Redis.
 */
export const actionJobSchema = z.strictObject({
  incidentId: z.string().min(1),
  actionId: z.string().min(1),
  approvedBy: z.string().min(1),
  attempt: z.number().int().positive(),
});
export type ActionJob = z.infer<typeof actionJobSchema>;

export function createActionQueue(connection: ConnectionOptions, prefix?: string): Queue<ActionJob> {
  return new Queue<ActionJob>(ACTION_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // Actions change production systems: never retried automatically. A person decides again.
      attempts: 1,
      // Kept for a week so that re-adding the same job id stays a no-op long after it ran; the
      // action's state in the incident store is the lasting once-only record.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

/** Queues an approved action under its deterministic job id (a second add is ignored by BullMQ). */
export async function enqueueAction(queue: Queue<ActionJob>, job: ActionJob): Promise<string> {
  const jobId = actionJobId(job.incidentId, job.actionId, job.attempt);
  await queue.add('run', job, { jobId });
  return jobId;
}
