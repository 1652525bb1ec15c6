import { type ExecutionContext, type ExecutionResult, executeStep } from '../executors/execute-step.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { Action } from '../runbooks/runbook-schema.js';
import type { ActionJob } from './action-queue.js';
import type { ActionState } from './action-state.js';
import { type FinishDeps, finishAction } from './finish-action.js';
import { activeStatuses } from './incident.js';

export interface ActionRunnerDeps extends FinishDeps {
  runbooks: RunbookCatalog;
  vars: Variables;
  secrets: readonly string[];
  allowedPrograms: ReadonlySet<string>;
  /**
   * Runs the action's step; a role's worker replaces it for `each` actions (one host after the
   * other). @defaultValue `executeStep(action.run, ctx)`, here
   */
  execute?: (action: Action, job: ActionJob, ctx: ExecutionContext) => Promise<ExecutionResult>;
}

/**
 * Runs one approved action, at most once per attempt: the queued → running compare-and-set in Redis
 * decides, so a job delivered twice (retry, stall, duplicate add) finds the action already taken.
 * Returns the action's final state, or its current state when this delivery was a duplicate.
 */
export async function runApprovedAction(
  deps: ActionRunnerDeps,
  job: ActionJob,
  signal: AbortSignal,
): Promise<ActionState | undefined> {
  const { incidentId, actionId } = job;
  const log = deps.log.child({ incidentId, actionId, attempt: job.attempt });
  const incident = await deps.store.get(incidentId);
  const action = incident && deps.runbooks.get(incident.kind)?.actions.find((a) => a.id === actionId);
  // Straight from queued to failed: the thread must not say it ran.
  const notRun = (summary: string) => finishAction(deps, job, ['queued'], { outcome: 'failed', summary });

  if (!incident || !action) {
    log.error('approved action has no incident or runbook entry; refusing to run it');
    return notRun('not run: the incident or its runbook entry no longer exists');
  }
  // Read when the job runs, not when it was queued: the incident may have been resolved meanwhile.
  if (!activeStatuses.has(incident.status)) {
    log.warn({ status: incident.status }, 'approved action not run: its incident is closed');
    return notRun(`not run: the incident was ${incident.status} before the action started`);
  }
  const started = await deps.store.transitionAction(incidentId, actionId, ['queued'], {
    status: 'running',
    startedAt: deps.now().toISOString(),
    expectAttempt: job.attempt,
  });
  if (!started.ok) {
    log.warn(
      { status: started.current?.status },
      'duplicate delivery of an action job: not running it again',
    );
    return started.current;
  }
  await deps.timeline.record(incidentId, { type: 'action.started', actionId });
  log.info('running approved action');
  const ctx: ExecutionContext = {
    vars: deps.vars,
    signal,
    allowedPrograms: deps.allowedPrograms,
    secrets: deps.secrets,
    log,
  };
  const result = await (deps.execute ? deps.execute(action, job, ctx) : executeStep(action.run, ctx));
  log.info(
    { outcome: result.outcome, durationMs: result.durationMs, summary: result.summary },
    'action finished',
  );
  return finishAction(deps, job, ['running'], result);
}

/** A job that stalled (its worker died mid-action) is not re-run: its outcome is unknown, say so. */
export async function markActionStalled(deps: ActionRunnerDeps, job: ActionJob): Promise<void> {
  await finishAction(deps, job, ['running', 'queued'], {
    outcome: 'failed',
    summary:
      'the worker stopped while running this action: its outcome is unknown — check the target before approving it again',
  });
}
