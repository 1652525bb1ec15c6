import { type ConnectionOptions, Queue } from 'bullmq';
import { z } from 'zod';

export const DELIVERY_QUEUE = 'firebreak-deliveries';

/** "Deliver incident X's timeline up to entry N" to the surfaces: a flush, so retries keep each in order. */
export const deliveryJobSchema = z.strictObject({
  incidentId: z.string().min(1),
  seq: z.number().int().min(0),
});
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

export function createDeliveryQueue(connection: ConnectionOptions, prefix?: string): Queue<DeliveryJob> {
  return new Queue<DeliveryJob>(DELIVERY_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      // Slack briefly down or rate limiting: keep trying for ~10 minutes, then give up loudly.
      attempts: 12,
      backoff: { type: 'exponential', delay: 1000 },
      // Flushes carry no record of their own (the ledger does): keep few, Redis stays small.
      removeOnComplete: { count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}
