import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const ALERT_QUEUE = 'firebreak-alerts';

/**
 * "Handle Alertmanager group X": the group's id only. What it said is its latest delivery in the
 * alert ledger, read when the job runs, so a job that waited reads the newest news of its group.
 */
export const alertJobSchema = z.strictObject({ groupId: z.string().regex(/^[0-9a-f]{32}$/) });
export type AlertJob = z.infer<typeof alertJobSchema>;

export function createAlertQueue(connection: ConnectionOptions, prefix?: string): Queue<AlertJob> {
  return new Queue<AlertJob>(ALERT_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // A failure is Redis or the core briefly out: retry for about a minute, then Alertmanager's own
      // re-send (group_interval, repeat_interval) brings the group back.
      attempts: 8,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

/**
 * Queues the handling of a group. One job per group at a time, across every replica: while one is
 * waiting, more deliveries add nothing (it reads the latest when it runs); while one runs, one more
 * waits behind it (`keepLastIfActive`). A storm of a thousand deliveries is two jobs, in order.
 */
export async function enqueueAlertGroup(queue: Queue<AlertJob>, groupId: string): Promise<void> {
  await queue.add(
    'group',
    { groupId },
    { deduplication: { id: `group-${groupId}`, keepLastIfActive: true } },
  );
}
