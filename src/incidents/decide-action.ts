import { runbookDigest } from '../runbooks/runbook-digest.js';
import type { Action } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import { type ActionJob, enqueueAction } from './action-queue.js';
import { decidableFrom, undoApplicable, undoneBy } from './action-rules.js';
import { type ActionState, actionJobId } from './action-state.js';
import { actionTargets } from './action-targets.js';
import { unattributable } from './attributable-actor.js';
import { type DecisionContext, loadDecision, recordRefusal } from './decision-context.js';
import { finishAction } from './finish-action.js';
import { freshCondition } from './fresh-condition.js';
import type { IncidentDeps } from './incident-deps.js';
import { moveIncident } from './move-incident.js';
import type { Refusal } from './refusal.js';

export interface DecisionRequest {
  incidentId: string;
  actionId: string;
  actor: Actor;
  /** Attempts already made when the button was rendered (0 for a fresh action). */
  seenAttempts: number;
  /** "Approve anyway": run although the action's guard fails on fresh values, for this reason. */
  override?: { reason: string };
}

export type DecisionResult =
  | { kind: 'approved'; state: ActionState; jobId: string }
  /** One approval of several: it runs once `required` different people approved (one not the requester). */
  | { kind: 'approval-recorded'; state: ActionState; count: number; required: number; needsOther: boolean }
  /** This person already approved this attempt: someone else's approval is what it waits for. */
  | { kind: 'already-approved'; state: ActionState }
  | { kind: 'skipped'; state: ActionState }
  /** Someone (maybe this user, a second ago) already decided: nothing was done twice. */
  | { kind: 'already-decided'; state: ActionState | undefined }
  | { kind: 'refused'; refusal: Refusal };

/**
 * Records a human approval and queues the action once enough people approved. In order: the incident
 * and action exist, the policy lets this actor approve it, an undo has something to undo, the state
 * allows it, its guard holds on fresh probe values (or is overridden with a reason). The approval
 * itself is a compare-and-set in Redis: a double click, a stale copy of the message or a re-delivered
 * request loses the race, and the same person twice is still one approval. A failed or cancelled
 * action may be approved again: that is a new attempt.
 */
export function approveAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  return counted(deps, approve(deps, request));
}

/** Records that a person chose not to run an action; it needs the authority to approve it. */
export function skipAction(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  return counted(deps, skip(deps, request));
}

/** `firebreak_action_decisions_total` counts every decision, whichever surface it came through. */
async function counted(deps: IncidentDeps, decided: Promise<DecisionResult>): Promise<DecisionResult> {
  const result = await decided;
  deps.metrics.decisions.inc({ decision: result.kind });
  return result;
}

/** Refused before anything is recorded: nobody may, or nothing to undo yet. */
async function precheck(
  deps: IncidentDeps,
  request: DecisionRequest,
  decision: 'approve' | 'skip',
): Promise<{ ok: true; context: DecisionContext } | { ok: false; result: DecisionResult }> {
  // Nobody the record can hold (an empty user id in a signed click): refused, and not even the
  // refusal is recorded — an anonymous entry in the timeline would be one more thing done by nobody.
  const anonymous = unattributable(request.actor);
  if (anonymous) return { ok: false, result: { kind: 'refused', refusal: anonymous } };
  const loaded = await loadDecision(deps, request.incidentId, request.actionId);
  if (!loaded.ok) return { ok: false, result: await recordRefusal(deps, request, decision, loaded.refusal) };
  const { incident, runbook, action, states } = loaded.context;
  const allowed = await deps.policy.authorize(request.actor, decision, incident, runbook, action);
  if (!allowed.allowed)
    return { ok: false, result: await recordRefusal(deps, request, decision, allowed.refusal) };
  if (undoApplicable(runbook, action.id, states) === false) {
    const undoes = undoneBy(runbook, action.id).map(
      (id) => runbook.actions.find((a) => a.id === id)?.title ?? id,
    );
    const refusal: Refusal = { code: 'nothing-to-undo', actionId: action.id, undoes };
    return { ok: false, result: await recordRefusal(deps, request, decision, refusal) };
  }
  return { ok: true, context: loaded.context };
}

/**
 * The answer when the state moved on. An approval whose job may have been lost (Redis dropped
 * between recording and queuing, and the user was told to try again) is queued again: same job id,
 * so a job that exists is left alone.
 */
async function alreadyDecided(
  deps: IncidentDeps,
  request: DecisionRequest,
  action: Action,
  current: ActionState | undefined,
): Promise<DecisionResult> {
  if (current?.status === 'queued' && current.decidedBy) {
    await lineUpAndQueue(deps, action, {
      incidentId: request.incidentId,
      actionId: request.actionId,
      approvedBy: current.decidedBy,
      attempt: current.attempt ?? 1,
    });
  }
  return { kind: 'already-decided', state: current };
}

/**
 * Puts an approved attempt in line on its targets (so what was approved first runs first) and
 * queues its job on its role's queue. Both steps are idempotent — joining a line twice keeps one
 * place, the job id is deterministic — so the approval, a retried click and the re-queue at start
 * all call this one function.
 */
async function lineUpAndQueue(
  deps: Pick<IncidentDeps, 'targets' | 'actionQueues' | 'vars'>,
  action: Action | undefined,
  job: ActionJob,
): Promise<void> {
  if (action) {
    await deps.targets.join(
      { incidentId: job.incidentId, actionId: job.actionId, attempt: job.attempt },
      actionTargets(action, deps.vars),
    );
  }
  await enqueueAction(deps.actionQueues.forAction(action), job);
}

async function approve(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await precheck(deps, request, 'approve');
  if (!checked.ok) return checked.result;
  const { incident, runbook, action, states } = checked.context;
  const { actor } = request;
  const current = states.get(action.id);
  // Decided already, or a stale button: answered before any probe runs.
  if (
    !current ||
    !decidableFrom.approve.includes(current.status) ||
    (current.attempt ?? 0) !== request.seenAttempts
  ) {
    return alreadyDecided(deps, request, action, current);
  }
  // A second click by someone who already approved this attempt: no probe, no entry (the CAS checks again).
  const round = (current.attempt ?? 0) + 1;
  if (current.approvals?.some((a) => a.round === round && a.by === actor.id)) {
    return { kind: 'already-approved', state: current };
  }
  let override: { reason: string; evidence: string[] } | undefined;
  if (action.when) {
    const guard = await freshCondition(deps, runbook, action.when);
    if (guard.met !== true) {
      const reason = request.override?.reason.trim();
      if (reason === undefined) {
        const refusal: Refusal = {
          code: 'guard-failed',
          actionId: action.id,
          met: guard.met,
          evidence: guard.evidence,
        };
        return recordRefusal(deps, request, 'approve', refusal);
      }
      if (reason === '') {
        return recordRefusal(deps, request, 'approve', {
          code: 'override-needs-reason',
          actionId: action.id,
        });
      }
      override = { reason, evidence: guard.evidence };
    }
  }
  const requirement = deps.policy.requirement(incident, runbook, action);
  const at = deps.now().toISOString();
  const outcome = await deps.store.addApproval(incident.id, action.id, decidableFrom.approve, {
    approval: { by: actor.id, via: actor.via, at, ...(override ? { override: override.reason } : {}) },
    expectAttempt: request.seenAttempts,
    required: requirement.approvals,
    ...(requirement.otherThan ? { otherThan: requirement.otherThan } : {}),
    queued: { status: 'queued', decidedBy: actor.id, decidedVia: actor.via, decidedAt: at },
  });
  if (outcome.kind === 'moved-on') return alreadyDecided(deps, request, action, outcome.current);
  if (outcome.kind === 'duplicate') return { kind: 'already-approved', state: outcome.current };
  if (override) {
    await deps.timeline.record(
      incident.id,
      { type: 'guard.overridden', actionId: action.id, reason: override.reason, evidence: override.evidence },
      actor,
    );
  }
  // Queued: the attempt is the round just approved; still waiting: the round after the last attempt.
  const approvals = (outcome.value.approvals ?? []).filter((a) => a.round === round);
  if (outcome.kind === 'recorded') {
    const needsOther = approvals.length >= requirement.approvals;
    await deps.timeline.record(
      incident.id,
      {
        type: 'action.approval',
        actionId: action.id,
        count: approvals.length,
        required: requirement.approvals,
        ...(needsOther ? { needsOther } : {}),
      },
      actor,
    );
    return {
      kind: 'approval-recorded',
      state: outcome.value,
      count: approvals.length,
      required: requirement.approvals,
      needsOther,
    };
  }
  return queueApproved(
    deps,
    checked.context,
    request,
    outcome.value,
    approvals.map((a) => a.by),
  );
}

/** The approval that completed an attempt: its job id, its entry, its place on its targets, its job. */
async function queueApproved(
  deps: IncidentDeps,
  { incident, runbook, action }: DecisionContext,
  request: DecisionRequest,
  state: ActionState,
  approvedBy: string[],
): Promise<DecisionResult> {
  const { actor } = request;
  const attempt = state.attempt ?? 1;
  const jobId = actionJobId(incident.id, action.id, attempt);
  // Signed from what this process decided, never re-signed from Redis later (re-queuing adds the job
  // again, nothing more): a worker runs only what verifies. The approvers are this round's.
  const signature = deps.signer.sign({
    incidentId: incident.id,
    actionId: action.id,
    attempt,
    approvers: approvedBy,
    runbook: runbookDigest(runbook),
  });
  await deps.store.transitionAction(incident.id, action.id, ['queued'], {
    status: 'queued',
    jobId,
    signature,
  });
  await deps.timeline.record(
    incident.id,
    {
      type: 'action.decided',
      actionId: action.id,
      status: 'queued',
      ...(approvedBy.length > 1 ? { approvedBy } : {}),
    },
    actor,
  );
  await lineUpAndQueue(deps, action, {
    incidentId: incident.id,
    actionId: action.id,
    approvedBy: actor.id,
    attempt,
  });
  await moveIncident(deps, incident.id, ['investigating'], 'mitigating');
  deps.log.info(
    { incidentId: incident.id, actionId: action.id, attempt, by: actor.id, via: actor.via, approvedBy },
    'action approved',
  );
  return { kind: 'approved', state: { ...state, jobId }, jobId };
}

async function skip(deps: IncidentDeps, request: DecisionRequest): Promise<DecisionResult> {
  const checked = await precheck(deps, request, 'skip');
  if (!checked.ok) return checked.result;
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
 * compare-and-set runs an action at most once per attempt. An action queued with no approver on
 * record (left by a version that accepted an empty user id) can never be run: it is failed, and the
 * thread says why, rather than shown `queued` for good.
 */
export async function requeueApproved(
  deps: Pick<
    IncidentDeps,
    'store' | 'actionQueues' | 'runbooks' | 'targets' | 'vars' | 'timeline' | 'now' | 'metrics' | 'log'
  >,
): Promise<number> {
  let count = 0;
  for (const incident of await deps.store.listOpen()) {
    const runbook = deps.runbooks.get(incident.kind);
    for (const state of await deps.store.listActions(incident.id)) {
      if (state.status !== 'queued') continue;
      if (!state.decidedBy || unattributable({ id: state.decidedBy, via: state.decidedVia ?? 'firebreak' })) {
        await finishAction(
          deps,
          { incidentId: incident.id, actionId: state.actionId, attempt: state.attempt ?? 0 },
          ['queued'],
          {
            outcome: 'failed',
            summary: 'not run: its approval names no approver Firebreak could record — approve it again',
          },
        );
        continue;
      }
      await lineUpAndQueue(
        deps,
        runbook?.actions.find((a) => a.id === state.actionId),
        {
          incidentId: incident.id,
          actionId: state.actionId,
          approvedBy: state.decidedBy,
          attempt: state.attempt ?? 1,
        },
      );
      count++;
    }
  }
  return count;
}
