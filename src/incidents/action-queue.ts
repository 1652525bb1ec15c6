import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { actionPlacement } from '../runbooks/host-placement.js';
import type { Action } from '../runbooks/runbook-schema.js';
import { actionJobId } from './action-state.js';

export const ACTION_QUEUE = 'firebreak-actions';

/**
 * The queue of the actions placed on `role` (`firebreak-actions-generation`), any one of whose
 * workers takes a job; without a role, the queue of the role-less executor. Roles are slugs, so no
 * role's queue can be mistaken for another's.
 */
export function actionQueueName(role?: string): string {
  return role === undefined ? ACTION_QUEUE : `${ACTION_QUEUE}-${role}`;
}

/** One host's own queue for its turn of an `each` action: `firebreak-actions-generation@gen-1`. */
export function hostActionQueueName(role: string, host: string): string {
  return `${actionQueueName(role)}@${host}`;
}

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

export function createActionQueue(
  connection: ConnectionOptions,
  prefix?: string,
  name = ACTION_QUEUE,
): Queue<ActionJob> {
  return new Queue<ActionJob>(name, {
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

/** The action queues by role, opened on first use; `for(undefined)` is the role-less queue. */
export interface ActionQueues {
  for(role: string | undefined): Queue<ActionJob>;
  /** The queue of `action`: its role's (`on:`), or the role-less one. */
  forAction(action: Pick<Action, 'on'> | undefined): Queue<ActionJob>;
  /** Closes the role queues it opened (not the role-less one, which its owner closes). */
  close(): Promise<void>;
}

export function createActionQueues(
  connection: ConnectionOptions,
  prefix: string,
  unplaced: Queue<ActionJob>,
  onError: (err: Error) => void,
): ActionQueues {
  const opened = new Map<string, Queue<ActionJob>>();
  const forRole = (role: string | undefined) => {
    if (role === undefined) return unplaced;
    let queue = opened.get(role);
    if (!queue) {
      queue = createActionQueue(connection, prefix, actionQueueName(role));
      queue.on('error', onError);
      opened.set(role, queue);
    }
    return queue;
  };
  return {
    for: forRole,
    forAction: (action) => forRole(action ? actionPlacement(action)?.role : undefined),
    async close() {
      await Promise.all([...opened.values()].map((q) => q.close()));
    },
  };
}
