import { enqueueAction } from '../executors/action-queue.js';
import type { Action } from '../runbooks/runbook-schema.js';
import { type ActionState, actionJobId } from './action-state.js';
import { activeStatuses, type Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';

export interface DecisionRequest {
  incidentId: string;
  actionId: string;
  userId: string;
  /** The channel the click came from: must be the incident's own. */
  channelId: string;
  /** Attempts already made when the button was rendered (0 for a fresh action). */
  seenAttempts: number;
}

export type DecisionResult =
  | { kind: 'approved'; state: ActionState; jobId: string }
  | { kind: 'skipped'; state: ActionState }
  /** Someone (maybe this user, a second ago) already decided: nothing was done twice. */
  | { kind: 'already-decided'; state: ActionState | undefined }
  | { kind: 'refused'; reason: string };

type Checked = { ok: true; incident: Incident; action: Action } | { ok: false; reason: string };

async function checkDecision(
  deps: IncidentDeps,
  request: DecisionRequest,
  approving: boolean,
): Promise<Checked> {
  const incident = await deps.store.get(request.incidentId);
  if (!incident) return { ok: false, reason: `incident ${request.incidentId} does not exist` };
  if (incident.channel?.id !== request.channelId) {
    return { ok: false, reason: `this button belongs to incident ${incident.id}; use it in its channel` };
  }
  if (!activeStatuses.has(incident.status)) {
    return { ok: false, reason: `incident ${incident.id} is ${incident.status}: its actions are closed` };
  }
  const action = deps.runbooks.get(incident.kind)?.actions.find((a) => a.id === request.actionId);
  if (!action)
    return {
      ok: false,
      reason: `action "${request.actionId}" is not in the ${incident.kind} runbook any more`,
    };
  if (approving) {
    const decision = deps.policy.check(request.userId, incident, action);
    if (!decision.allowed) return { ok: false, reason: decision.reason };
  }
  return { ok: true, incident, action };
}

/**
 * Records a human approval and queues the action once. The compare-and-set on the action's state is
 * the guard: a double click, a stale copy of the message or a re-delivered request loses the race
 * and gets `already-decided`. A failed action may be approved again: that is a new attempt.
 */
export async function approveAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await checkDecision(deps, request, true);
  if (!checked.ok) return { kind: 'refused', reason: checked.reason };
  const decidedAt = deps.now().toISOString();
  const moved = await deps.store.transitionAction(
    request.incidentId,
    request.actionId,
    ['offered', 'failed'],
    {
      status: 'queued',
      decidedBy: request.userId,
      decidedAt,
      bumpAttempt: true,
      expectAttempt: request.seenAttempts,
    },
  );
  if (!moved.ok) {
    // Approved, but its job may have been lost (Redis dropped between recording and queuing, and the
    // user was told to try again): queue it again. Same job id, so a job that exists is left alone.
    const current = moved.current;
    if (current?.status === 'queued' && current.decidedBy) {
      await enqueueAction(deps.actionQueue, {
        incidentId: request.incidentId,
        actionId: request.actionId,
        approvedBy: current.decidedBy,
        attempt: current.attempt ?? 1,
      });
    }
    return { kind: 'already-decided', state: current };
  }
  const attempt = moved.value.attempt ?? 1;
  const jobId = actionJobId(request.incidentId, request.actionId, attempt);
  await deps.store.transitionAction(request.incidentId, request.actionId, ['queued'], {
    status: 'queued',
    jobId,
  });
  await deps.timeline.record(
    request.incidentId,
    { type: 'action.decided', actionId: request.actionId, status: 'queued' },
    request.userId,
  );
  await enqueueAction(deps.actionQueue, {
    incidentId: request.incidentId,
    actionId: request.actionId,
    approvedBy: request.userId,
    attempt,
  });
  const mitigating = await deps.store.transitionStatus(request.incidentId, ['investigating'], 'mitigating');
  if (mitigating.ok) {
    await deps.timeline.record(request.incidentId, {
      type: 'incident.status',
      from: 'investigating',
      to: 'mitigating',
    });
  }
  deps.log.info(
    { incidentId: request.incidentId, actionId: request.actionId, attempt, by: request.userId },
    'action approved',
  );
  return { kind: 'approved', state: { ...moved.value, jobId }, jobId };
}

/** Records that a person chose not to run an action. */
export async function skipAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await checkDecision(deps, request, false);
  if (!checked.ok) return { kind: 'refused', reason: checked.reason };
  const moved = await deps.store.transitionAction(request.incidentId, request.actionId, ['offered'], {
    status: 'skipped',
    decidedBy: request.userId,
    decidedAt: deps.now().toISOString(),
    expectAttempt: request.seenAttempts,
  });
  if (!moved.ok) return { kind: 'already-decided', state: moved.current };
  await deps.timeline.record(
    request.incidentId,
    { type: 'action.decided', actionId: request.actionId, status: 'skipped' },
    request.userId,
  );
  return { kind: 'skipped', state: moved.value };
}

/**
 * Re-adds the job of every approved action still waiting to run: after Redis or the bot was down
 * between recording an approval and queuing it. Safe to repeat: same job id, and the worker's own
 * compare-and-set runs an action at most once per attempt.
 */
export async function requeueApproved(deps: IncidentDeps): Promise<number> {
  let count = 0;
  for (const incident of await deps.store.listOpen()) {
    for (const state of await deps.store.listActions(incident.id)) {
      if (state.status !== 'queued' || !state.decidedBy) continue;
      await enqueueAction(deps.actionQueue, {
        incidentId: incident.id,
        actionId: state.actionId,
        approvedBy: state.decidedBy,
        attempt: state.attempt ?? 1,
      });
      count++;
    }
  }
  return count;
}
