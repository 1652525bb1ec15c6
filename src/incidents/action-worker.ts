import { type ConnectionOptions, DelayedError, Worker } from 'bullmq';
import { ACTION_QUEUE, type ActionJob, actionJobSchema } from './action-queue.js';
import { type ActionRunnerDeps, markActionStalled, runApprovedAction } from './run-approved-action.js';

export interface ActionWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** Actions run in parallel across incidents and targets. @defaultValue 4 */
  concurrency?: number;
  /** How soon an action waiting for its target asks again. @defaultValue 500 */
  targetPollMs?: number;
  /** The queue it serves: a role's (`actionQueueName(role)`). @defaultValue the role-less queue */
  queueName?: string;
  /**
   * Checked before a job runs (the approval's signature, the runbook's digest): false when the job
   * was refused, which the guard has already reported. Without it every well-formed job runs.
   */
  guard?: (job: ActionJob) => Promise<boolean>;
}

/**
 * The executor worker: runs approved actions. `maxStalledCount: 0` because actions (restarts!) are
 * not idempotent: a job whose worker died is failed as stalled and reported, never silently re-run.
 */
export function createActionWorker(deps: ActionRunnerDeps, options: ActionWorkerOptions): Worker<ActionJob> {
  const worker = new Worker<ActionJob>(
    options.queueName ?? ACTION_QUEUE,
    async (job, token, signal) => {
      const data = actionJobSchema.parse(job.data);
      if (options.guard && !(await options.guard(data))) return;
      const state = await runApprovedAction(deps, data, signal ?? new AbortController().signal);
      // Still queued under this attempt: another action holds its target. Give the slot back and
      // ask again shortly, rather than hold a worker slot the action ahead may need.
      if (state?.status === 'queued' && state.attempt === data.attempt) {
        await job.moveToDelayed(Date.now() + (options.targetPollMs ?? 500), token);
        throw new DelayedError();
      }
    },
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      concurrency: options.concurrency ?? 4,
      maxStalledCount: 0,
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'action worker error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const parsed = actionJobSchema.safeParse(job.data);
    deps.log.error({ err, jobId: job.id }, 'action job failed');
    if (parsed.success) {
      markActionStalled(deps, parsed.data).catch((e) =>
        deps.log.error({ err: e }, 'could not record stalled action'),
      );
    }
  });
  return worker;
}
