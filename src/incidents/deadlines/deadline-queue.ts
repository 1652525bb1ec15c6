import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const DEADLINE_QUEUE = 'firebreak-deadlines';

/** `remind` at a group's deadline, `escalate` one more deadline later. */
export const deadlineStages = ['remind', 'escalate'] as const;
export type DeadlineStage = (typeof deadlineStages)[number];

/** Ids and a time only; what is undecided is read when the job fires. */
export const deadlineJobSchema = z.strictObject({
  incidentId: z.string().min(1),
  groupId: z.string().min(1),
  stage: z.enum(deadlineStages),
  /** ISO 8601: when it is due, by the core's clock (tests control it). */
  dueAt: z.iso.datetime(),
});
export type DeadlineJob = z.infer<typeof deadlineJobSchema>;

/**
 * One id per incident, group and stage: a restart that schedules again, or a second replica doing
 * the same, adds a job that already exists, and BullMQ ignores it (kept a week after it ran).
 */
export function deadlineJobId(incidentId: string, groupId: string, stage: DeadlineStage): string {
  return `deadline-${incidentId}-${groupId}-${stage}`;
}

export function createDeadlineQueue(connection: ConnectionOptions, prefix?: string): Queue<DeadlineJob> {
  return new Queue<DeadlineJob>(DEADLINE_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // A reminder is worth a few tries through a Redis blip; the timeline check keeps it single.
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
