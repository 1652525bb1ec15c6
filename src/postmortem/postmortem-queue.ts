import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const POSTMORTEM_QUEUE = 'firebreak-postmortems';

/** Writing an incident's postmortem when it resolves: queued, because Prometheus and SQL may be slow. */
export const postmortemJobSchema = z.strictObject({ incidentId: z.string().min(1) });
export type PostmortemJob = z.infer<typeof postmortemJobSchema>;

/** One postmortem per resolve: the same id from any replica, a retried entry or a restart. */
export function postmortemJobId(incidentId: string): string {
  return `pm-${incidentId}-resolved`;
}

export function createPostmortemQueue(connection: ConnectionOptions, prefix?: string): Queue<PostmortemJob> {
  return new Queue<PostmortemJob>(POSTMORTEM_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
