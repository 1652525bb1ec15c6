import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const INCIDENT_QUEUE = 'firebreak-incidents';

/** Opening an incident (channel, invites, diagnosis, offer) is a job so that a restart resumes it. */
export const openJobSchema = z.strictObject({ incidentId: z.string().min(1) });
export type OpenJob = z.infer<typeof openJobSchema>;

export function createIncidentQueue(connection: ConnectionOptions, prefix?: string): Queue<OpenJob> {
  return new Queue<OpenJob>(INCIDENT_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // Every step records its progress on the incident, so a retry continues where it stopped.
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
