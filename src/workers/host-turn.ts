import { z } from 'zod';
import { actionJobSchema } from '../incidents/action-queue.js';
import { actionJobId } from '../incidents/action-state.js';

/** One host's turn of an `each` action: the action's ids and the host it is for. */
export const hostTurnJobSchema = actionJobSchema.extend({ host: z.string().min(1) });
export type HostTurnJob = z.infer<typeof hostTurnJobSchema>;

export function hostTurnJobId(job: HostTurnJob): string {
  return `${actionJobId(job.incidentId, job.actionId, job.attempt)}-on-${job.host}`;
}

/** What a host's turn returns to the coordinator: an `ExecutionResult`, checked when it comes back. */
export const turnResultSchema = z.object({
  outcome: z.enum(['succeeded', 'failed']),
  summary: z.string(),
  excerpt: z.string().default(''),
  durationMs: z.number().default(0),
});
