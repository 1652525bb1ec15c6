import type { Actor } from '../timeline/actor.js';
import { decidableFrom } from './action-rules.js';
import type { ActionState } from './action-state.js';
import { actionTargets } from './action-targets.js';
import { loadDecision, recordRefusal } from './decision-context.js';
import { finishAction } from './finish-action.js';
import type { IncidentDeps } from './incident-deps.js';
import type { Refusal } from './refusal.js';

export interface CancelRequest {
  incidentId: string;
  actionId: string;
  actor: Actor;
}

export type CancelResult =
  /** It had not started: nothing ran, and it never will under this attempt. */
  | { kind: 'cancelled'; state: ActionState }
  /** It is running: the worker running it stops it now and records how far it got. */
  | { kind: 'cancelling'; state: ActionState }
  /** It is not queued or running any more: nothing to stop. */
  | { kind: 'already-decided'; state: ActionState | undefined }
  | { kind: 'refused'; refusal: Refusal };

/**
 * Stops an approved action, with the same authority as approving it. A queued one (waiting for its
 * worker or for its target) is cancelled at once by a compare-and-set; a running one gets a cancel
 * request in its state, which the worker running it — in whichever process — turns into an abort of
 * its HTTP call, Redis connection or process group within a fraction of a second.
 */
export async function cancelAction(deps: IncidentDeps, request: CancelRequest): Promise<CancelResult> {
  const loaded = await loadDecision(deps, request.incidentId, request.actionId);
  if (!loaded.ok) return recordRefusal(deps, request, 'cancel', loaded.refusal);
  const { incident, runbook, action } = loaded.context;
  const allowed = await deps.policy.authorize(request.actor, 'cancel', incident, runbook, action);
  if (!allowed.allowed) return recordRefusal(deps, request, 'cancel', allowed.refusal);
  const { actor } = request;
  const at = deps.now().toISOString();
  // Twice at most: a queued action may start between the read and the compare-and-set.
  for (let tries = 0; tries < 2; tries++) {
    const current = await deps.store.getAction(incident.id, action.id);
    if (!current || !decidableFrom.cancel.includes(current.status))
      return { kind: 'already-decided', state: current };
    const attempt = current.attempt ?? 1;
    const asked = { cancelRequestedBy: actor.id, cancelRequestedVia: actor.via, cancelRequestedAt: at };
    if (current.status === 'queued') {
      const moved = await deps.store.transitionAction(incident.id, action.id, ['queued'], {
        status: 'queued',
        ...asked,
        expectAttempt: attempt,
      });
      if (!moved.ok) continue;
      const ended = await finishAction(
        deps,
        { incidentId: incident.id, actionId: action.id, attempt },
        ['queued'],
        {
          outcome: 'cancelled',
          summary: 'cancelled before it started: nothing ran',
          by: actor,
        },
      );
      await deps.targets.leave(
        { incidentId: incident.id, actionId: action.id, attempt },
        actionTargets(action, deps.vars),
      );
      deps.log.info(
        { incidentId: incident.id, actionId: action.id, by: actor.id },
        'queued action cancelled',
      );
      if (ended?.status === 'cancelled') return { kind: 'cancelled', state: ended };
      continue;
    }
    // Running: asked once; a second click changes nothing.
    if (current.cancelRequestedAt) return { kind: 'cancelling', state: current };
    const moved = await deps.store.transitionAction(incident.id, action.id, ['running'], {
      status: 'running',
      ...asked,
      expectAttempt: attempt,
    });
    if (!moved.ok) continue;
    await deps.timeline.record(incident.id, { type: 'action.cancel-requested', actionId: action.id }, actor);
    deps.log.info({ incidentId: incident.id, actionId: action.id, by: actor.id }, 'cancel requested');
    return { kind: 'cancelling', state: moved.value };
  }
  return { kind: 'already-decided', state: await deps.store.getAction(incident.id, action.id) };
}
