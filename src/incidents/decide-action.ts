import { runbookDigest } from '../runbooks/runbook-digest.js';
import type { Action, Runbook } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import { enqueueAction } from './action-queue.js';
import { decidableFrom } from './action-rules.js';
import { type ActionState, actionJobId } from './action-state.js';
import { activeStatuses, type Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';
import { moveIncident } from './move-incident.js';
import type { Refusal } from './refusal.js';

export interface DecisionRequest {
  incidentId: string;
  actionId: string;
  actor: Actor;
  /** Attempts already made when the button was rendered (0 for a fresh action). */
  seenAttempts: number;
}

export type DecisionResult =
  | { kind: 'approved'; state: ActionState; jobId: string }
  | { kind: 'skipped'; state: ActionState }
  /** Someone (maybe this user, a second ago) already decided: nothing was done twice. */
  | { kind: 'already-decided'; state: ActionState | undefined }
  | { kind: 'refused'; refusal: Refusal };

type Checked =
  | { ok: true; incident: Incident; runbook: Runbook; action: Action }
  | { ok: false; refusal: Refusal };

/**
 * The checks every decision passes, whatever surface it came through: the incident exists and is
 * active, the action is in its runbook, and the policy lets this actor decide. Where a click came
 * from (the incident's own Slack channel) is the surface's own check.
 */
async function checkDecision(
  deps: IncidentDeps,
  request: DecisionRequest,
  approving: boolean,
): Promise<Checked> {
  const incident = await deps.store.get(request.incidentId);
  if (!incident) return { ok: false, refusal: { code: 'incident-unknown', incidentId: request.incidentId } };
  if (!activeStatuses.has(incident.status)) {
    return {
      ok: false,
      refusal: { code: 'incident-closed', incidentId: incident.id, status: incident.status },
    };
  }
  const runbook = deps.runbooks.get(incident.kind);
  const action = runbook?.actions.find((a) => a.id === request.actionId);
  if (!runbook || !action) {
    return {
      ok: false,
      refusal: {
        code: 'action-unknown',
        incidentId: incident.id,
        actionId: request.actionId,
        kind: incident.kind,
      },
    };
  }
  if (approving) {
    const decision = deps.policy.check(request.actor, incident, action);
    if (!decision.allowed) return { ok: false, refusal: decision.refusal };
  }
  return { ok: true, incident, runbook, action };
}

/**
 * Records a human approval and queues the action once. The compare-and-set on the action's state is
 * the guard: a double click, a stale copy of the message or a re-delivered request loses the race
 * and gets `already-decided`. A failed action may be approved again: that is a new attempt.
 */
export function approveAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  return counted(deps, approve(deps, request));
}

/** Records that a person chose not to run an action. */
export function skipAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  return counted(deps, skip(deps, request));
}

/** `firebreak_action_decisions_total` counts every decision, whichever surface it came through. */
async function counted(deps: IncidentDeps, decided: Promise<DecisionResult>): Promise<DecisionResult> {
  const result = await decided;
  deps.metrics.decisions.inc({ decision: result.kind });
  return result;
}

async function approve(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await checkDecision(deps, request, true);
  if (!checked.ok) return { kind: 'refused', refusal: checked.refusal };
  const { actor } = request;
  const decidedAt = deps.now().toISOString();
  const moved = await deps.store.transitionAction(
    request.incidentId,
    request.actionId,
    decidableFrom.approve,
    {
      status: 'queued',
      decidedBy: actor.id,
      decidedVia: actor.via,
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
      await enqueueAction(deps.actionQueues.forAction(checked.action), {
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
  // Signed from what this process decided, never from what Redis holds: a worker runs nothing else.
  const approval = deps.signer.sign({
    incidentId: request.incidentId,
    actionId: request.actionId,
    attempt,
    approvers: [actor.id],
    runbook: runbookDigest(checked.runbook),
  });
  await deps.store.transitionAction(request.incidentId, request.actionId, ['queued'], {
    status: 'queued',
    jobId,
    approval,
  });
  await deps.timeline.record(
    request.incidentId,
    { type: 'action.decided', actionId: request.actionId, status: 'queued' },
    actor,
  );
  await enqueueAction(deps.actionQueues.forAction(checked.action), {
    incidentId: request.incidentId,
    actionId: request.actionId,
    approvedBy: actor.id,
    attempt,
  });
  await moveIncident(deps, request.incidentId, ['investigating'], 'mitigating');
  deps.log.info(
    { incidentId: request.incidentId, actionId: request.actionId, attempt, by: actor.id, via: actor.via },
    'action approved',
  );
  return { kind: 'approved', state: { ...moved.value, jobId }, jobId };
}

async function skip(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await checkDecision(deps, request, false);
  if (!checked.ok) return { kind: 'refused', refusal: checked.refusal };
  const { actor } = request;
  const moved = await deps.store.transitionAction(request.incidentId, request.actionId, decidableFrom.skip, {
    status: 'skipped',
    decidedBy: actor.id,
    decidedVia: actor.via,
    decidedAt: deps.now().toISOString(),
    expectAttempt: request.seenAttempts,
  });
  if (!moved.ok) return { kind: 'already-decided', state: moved.current };
  await deps.timeline.record(
    request.incidentId,
    { type: 'action.decided', actionId: request.actionId, status: 'skipped' },
    actor,
  );
  return { kind: 'skipped', state: moved.value };
}

/**
 * Re-adds the job of every approved action still waiting to run: after Redis or the bot was down
 * between recording an approval and queuing it. Safe to repeat: same job id, and the worker's own
 * compare-and-set runs an action at most once per attempt.
 */
export async function requeueApproved(
  deps: Pick<IncidentDeps, 'store' | 'actionQueues' | 'runbooks'>,
): Promise<number> {
  let count = 0;
  for (const incident of await deps.store.listOpen()) {
    const actions = deps.runbooks.get(incident.kind)?.actions ?? [];
    for (const state of await deps.store.listActions(incident.id)) {
      if (state.status !== 'queued' || !state.decidedBy) continue;
      const action = actions.find((a) => a.id === state.actionId);
      await enqueueAction(deps.actionQueues.forAction(action), {
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
