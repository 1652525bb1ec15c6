import type { RunProgress } from '../executors/step-executor.js';
import type { Logger } from '../logging/logger.js';
import type { Actor } from '../timeline/actor.js';
import type { TimelineRecorder } from '../timeline/timeline-recorder.js';
import type { ActionJob } from './action-queue.js';
import type { ActionState, ActionStatus } from './action-state.js';
import type { IncidentMetrics } from './incident-deps.js';
import type { IncidentStore } from './incident-store.js';

/** How an approved action ended, as people (and the postmortem) read it. Plain, secret-free text. */
export interface ActionEnd {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  summary: string;
  excerpt?: string;
  /** How far a stopped run got. */
  progress?: RunProgress;
  /** It only reported what it would do. */
  dryRun?: boolean;
  /** Who ended it, when a person did (a cancel before it started). */
  by?: Actor;
}

export interface FinishDeps {
  store: IncidentStore;
  timeline: TimelineRecorder;
  now: () => Date;
  metrics: Pick<IncidentMetrics, 'actionsFinished'>;
  log: Logger;
}

/**
 * The one way to record an action's end, whether it ran, was refused at the last moment or its
 * worker died: the state moves (from `from`, under this job's attempt only — a newer approval is
 * not this job's to close), the counter moves, and the timeline says so with the summary. Returns
 * the action's state afterwards, whoever won the compare-and-set.
 */
export async function finishAction(
  deps: FinishDeps,
  job: Pick<ActionJob, 'incidentId' | 'actionId' | 'attempt'>,
  from: readonly ActionStatus[],
  end: ActionEnd,
): Promise<ActionState | undefined> {
  const done = await deps.store.transitionAction(job.incidentId, job.actionId, from, {
    status: end.outcome,
    finishedAt: deps.now().toISOString(),
    summary: end.summary,
    excerpt: end.excerpt ?? '',
    ...(end.progress ? { progress: end.progress } : {}),
    ...(end.dryRun ? { dryRun: true } : {}),
    expectAttempt: job.attempt,
  });
  if (!done.ok) return done.current;
  deps.metrics.actionsFinished.inc({ outcome: end.outcome });
  await deps.timeline.record(
    job.incidentId,
    { type: 'action.finished', actionId: job.actionId, status: end.outcome, summary: end.summary },
    end.by,
  );
  return done.value;
}
