import { captureState } from '../executors/capture-state.js';
import { describeStep } from '../executors/describe-step.js';
import { executeStep } from '../executors/execute-step.js';
import { previewStep } from '../executors/preview-step.js';
import type { ExecutionContext, ExecutionResult } from '../executors/step-executor.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { Action, Runbook } from '../runbooks/runbook-schema.js';
import { type Actor, actorOf } from '../timeline/actor.js';
import type { ActionJob } from './action-queue.js';
import { type ActionState, inFlightStatuses } from './action-state.js';
import { actionTargets } from './action-targets.js';
import { type FinishDeps, finishAction } from './finish-action.js';
import { freshCondition } from './fresh-condition.js';
import { activeStatuses, type Incident } from './incident.js';
import type { LineMember, TargetLocks } from './target-locks.js';
import { undoVariables } from './undo-variables.js';

export interface ActionRunnerDeps extends FinishDeps {
  runbooks: RunbookCatalog;
  vars: Variables;
  secrets: readonly string[];
  allowedPrograms: ReadonlySet<string>;
  targets: TargetLocks;
  /** Where host probes of an `expect.condition` read proc(5) files (HOST_PROC_ROOT). @defaultValue /proc */
  procRoot?: string;
  /** How often a running action looks for a cancel request. @defaultValue 250 (a cancel takes effect within ~¼ s) */
  cancelPollMs?: number;
  /**
   * Runs the action's step; a role's worker replaces it for `each` actions (one host after the
   * other). @defaultValue `executeStep(action.run, ctx)`, here
   */
  execute?: (action: Action, job: ActionJob, ctx: ExecutionContext) => Promise<ExecutionResult>;
}

/**
 * Runs one approved action, at most once per attempt: the queued → running compare-and-set in Redis
 * decides, so a job delivered twice (retry, stall, duplicate add) finds the action already taken.
 * While another action holds one of its targets it does not start: it records what it waits for and
 * returns still `queued` (the worker delays the job and asks again). Returns the action's final
 * state, or its current state when this delivery was a duplicate or has to wait.
 */
export async function runApprovedAction(
  deps: ActionRunnerDeps,
  job: ActionJob,
  signal: AbortSignal,
): Promise<ActionState | undefined> {
  const { incidentId, actionId } = job;
  const log = deps.log.child({ incidentId, actionId, attempt: job.attempt });
  const incident = await deps.store.get(incidentId);
  const runbook = incident ? deps.runbooks.get(incident.kind) : undefined;
  const action = runbook?.actions.find((a) => a.id === actionId);
  const member: LineMember = { incidentId, actionId, attempt: job.attempt };
  const targets = action ? actionTargets(action, deps.vars) : [];
  // Straight from queued to failed: the thread must not say it ran.
  const notRun = async (summary: string) => {
    const state = await finishAction(deps, job, ['queued'], { outcome: 'failed', summary });
    await deps.targets.leave(member, targets);
    return state;
  };

  if (!incident || !runbook || !action) {
    log.error('approved action has no incident or runbook entry; refusing to run it');
    return notRun('not run: the incident or its runbook entry no longer exists');
  }
  // Read when the job runs, not when it was queued: the incident may have been resolved meanwhile.
  if (!activeStatuses.has(incident.status)) {
    log.warn({ status: incident.status }, 'approved action not run: its incident is closed');
    return notRun(`not run: the incident was ${incident.status} before the action started`);
  }
  const current = await deps.store.getAction(incidentId, actionId);
  if (current?.status !== 'queued' || (current.attempt ?? 0) !== job.attempt) {
    log.warn({ status: current?.status }, 'duplicate delivery of an action job: not running it again');
    return current;
  }
  const blocker = await deps.targets.ahead(member, targets, (m) => stillInLine(deps, m));
  if (blocker) return waitFor(deps, job, current, blocker);

  const states = new Map((await deps.store.listActions(incidentId)).map((s) => [s.actionId, s]));
  const undo = undoVariables(runbook, action, states);
  if (!undo.ok) return notRun(`not run: ${undo.missing}`);

  const started = await deps.store.transitionAction(incidentId, actionId, ['queued'], {
    status: 'running',
    startedAt: deps.now().toISOString(),
    waitingFor: null,
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
  try {
    const vars = { ...deps.vars, ...undo.values };
    const dryRun = Boolean(incident.dryRun || runbook.dryRun || action.dryRun || undo.ofDryRun);
    if (dryRun) return await finishDryRun(deps, job, action, vars);
    return await runForReal(deps, job, { incident, runbook, action }, vars, signal, log);
  } finally {
    await deps.targets.leave(member, targets);
  }
}

/** Whether a member of a target's line still holds its place: its action is queued or running, that attempt. */
async function stillInLine(deps: Pick<ActionRunnerDeps, 'store'>, m: LineMember): Promise<boolean> {
  const state = await deps.store.getAction(m.incidentId, m.actionId);
  return state !== undefined && inFlightStatuses.has(state.status) && (state.attempt ?? 0) === m.attempt;
}

/** Records what it waits for (once per blocker), visibly, and leaves the action queued. */
async function waitFor(
  deps: ActionRunnerDeps,
  job: ActionJob,
  current: ActionState,
  blocker: { member: LineMember; target: string },
): Promise<ActionState> {
  const { member, target } = blocker;
  const known = current.waitingFor;
  if (known?.incidentId === member.incidentId && known.actionId === member.actionId) return current;
  const other = await deps.store.get(member.incidentId);
  const title =
    deps.runbooks.get(other?.kind ?? '')?.actions.find((a) => a.id === member.actionId)?.title ??
    member.actionId;
  const waitingFor = { incidentId: member.incidentId, actionId: member.actionId, title, target };
  const moved = await deps.store.transitionAction(job.incidentId, job.actionId, ['queued'], {
    status: 'queued',
    waitingFor,
    expectAttempt: job.attempt,
  });
  if (!moved.ok) return moved.current ?? current;
  await deps.timeline.record(job.incidentId, {
    type: 'action.waiting',
    actionId: job.actionId,
    target,
    blockedBy: { incidentId: member.incidentId, actionId: member.actionId, title },
  });
  deps.log.info(
    { incidentId: job.incidentId, actionId: job.actionId, waitingFor },
    'action waits for its target',
  );
  return moved.value;
}

/** A dry run: the whole flow, but the executor only says what it would do, resolved and masked. */
async function finishDryRun(
  deps: ActionRunnerDeps,
  job: ActionJob,
  action: Action,
  vars: Variables,
): Promise<ActionState | undefined> {
  const reads = (action.capture ?? []).map(
    (c) => `reads ${c.as} first: ${previewStep(c.read, vars, deps.secrets)}`,
  );
  const excerpt = [...reads, previewStep(action.run, vars, deps.secrets)].join('\n');
  return finishAction(deps, job, ['running'], {
    outcome: 'succeeded',
    summary: `dry run: nothing was changed (would ${describeStep(action.run)})`,
    excerpt,
    dryRun: true,
  });
}

async function runForReal(
  deps: ActionRunnerDeps,
  job: ActionJob,
  { incident, runbook, action }: { incident: Incident; runbook: Runbook; action: Action },
  vars: Variables,
  signal: AbortSignal,
  log: Logger,
): Promise<ActionState | undefined> {
  const watch = watchForCancel(deps, job, signal);
  try {
    const ctx = {
      vars,
      signal: watch.signal,
      allowedPrograms: deps.allowedPrograms,
      secrets: deps.secrets,
      log,
      verify: (condition: Parameters<typeof freshCondition>[2]) =>
        freshCondition(
          {
            vars,
            allowedPrograms: deps.allowedPrograms,
            ...(deps.procRoot ? { procRoot: deps.procRoot } : {}),
          },
          runbook,
          condition,
        ),
    };
    if (action.capture) {
      const captured = await captureState(action.capture, ctx);
      if (!captured.ok) {
        return finishAction(deps, job, ['running'], {
          outcome: 'failed',
          summary: `not run: ${captured.summary}; nothing was changed`,
        });
      }
      await deps.store.transitionAction(job.incidentId, job.actionId, ['running'], {
        status: 'running',
        captured: captured.values,
        expectAttempt: job.attempt,
      });
      await deps.timeline.record(job.incidentId, {
        type: 'action.captured',
        actionId: job.actionId,
        values: captured.values,
      });
    }
    log.info({ dryRun: false, incident: incident.id }, 'running approved action');
    const result = await (deps.execute ? deps.execute(action, job, ctx) : executeStep(action.run, ctx));
    log.info(
      { outcome: result.outcome, durationMs: result.durationMs, summary: result.summary },
      'action finished',
    );
    const by = watch.cancelledBy();
    if (by && result.outcome === 'failed') {
      return finishAction(deps, job, ['running'], {
        outcome: 'cancelled',
        summary: cancelSummary(result),
        excerpt: result.excerpt,
        ...(result.progress ? { progress: result.progress } : {}),
      });
    }
    return finishAction(deps, job, ['running'], result);
  } finally {
    watch.stop();
  }
}

/** "cancelled after 2 of 3 steps; step 3/3 (POST …) was cut mid-way: its outcome is unknown". */
export function cancelSummary(result: Pick<ExecutionResult, 'progress'>): string {
  const p = result.progress;
  if (!p) return 'cancelled';
  const unknown = p.cut ? `; ${p.cut} was cut mid-way: its outcome is unknown` : '';
  if (p.total === 1)
    return p.cut
      ? `cancelled during ${p.cut}: its outcome is unknown`
      : 'cancelled before it changed anything';
  return `cancelled after ${p.done} of ${p.total} steps${unknown}`;
}

/**
 * The run's own signal: aborted by the worker's (shutdown), or when someone asks to cancel it. The
 * request is a field of the action's state in Redis, so a cancel clicked on any replica reaches the
 * worker running it, in whichever process; it is read every `cancelPollMs`.
 */
function watchForCancel(
  deps: ActionRunnerDeps,
  job: ActionJob,
  parent: AbortSignal,
): { signal: AbortSignal; cancelledBy(): Actor | undefined; stop(): void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  let by: Actor | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const look = async () => {
    const state = await deps.store.getAction(job.incidentId, job.actionId).catch(() => undefined);
    if (state?.cancelRequestedAt && !controller.signal.aborted) {
      by = actorOf(state.cancelRequestedBy, state.cancelRequestedVia);
      controller.abort(new DOMException('cancelled by a person', 'AbortError'));
    }
    if (!stopped && !controller.signal.aborted) timer = setTimeout(look, deps.cancelPollMs ?? 250);
  };
  void look();
  return {
    signal: controller.signal,
    cancelledBy: () => by,
    stop() {
      stopped = true;
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** A job that stalled (its worker died mid-action) is not re-run: its outcome is unknown, say so. */
export async function markActionStalled(deps: ActionRunnerDeps, job: ActionJob): Promise<void> {
  await finishAction(deps, job, ['running', 'queued'], {
    outcome: 'failed',
    summary:
      'the worker stopped while running this action: its outcome is unknown — check the target before approving it again',
  });
}
