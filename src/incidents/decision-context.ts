import type { Action, Runbook } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import type { PolicyDecisionKind } from './action-rules.js';
import type { ActionState } from './action-state.js';
import { activeStatuses, type Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';
import { describeRefusal, type Refusal } from './refusal.js';

/** What a decision on one action is about, once the incident, its runbook and the action are found. */
export interface DecisionContext {
  incident: Incident;
  runbook: Runbook;
  action: Action;
  states: ReadonlyMap<string, ActionState>;
}

export type Loaded = { ok: true; context: DecisionContext } | { ok: false; refusal: Refusal };

/**
 * The checks every decision on an action passes first, whatever surface it came through: the
 * incident exists and is active, and the action is in its runbook. Who may decide is the policy's
 * (checked next, by each use case); where a click came from is the surface's own check.
 */
export async function loadDecision(
  deps: Pick<IncidentDeps, 'store' | 'runbooks'>,
  incidentId: string,
  actionId: string,
): Promise<Loaded> {
  const incident = await deps.store.get(incidentId);
  if (!incident) return { ok: false, refusal: { code: 'incident-unknown', incidentId } };
  if (!activeStatuses.has(incident.status)) {
    return { ok: false, refusal: { code: 'incident-closed', incidentId, status: incident.status } };
  }
  const runbook = deps.runbooks.get(incident.kind);
  const action = runbook?.actions.find((a) => a.id === actionId);
  if (!runbook || !action) {
    return { ok: false, refusal: { code: 'action-unknown', incidentId, actionId, kind: incident.kind } };
  }
  const states = new Map((await deps.store.listActions(incidentId)).map((s) => [s.actionId, s]));
  return { ok: true, context: { incident, runbook, action, states } };
}

/**
 * How long the same refusal (same person, decision, action and reason) is told in the timeline only
 * once. The person still gets their answer every time; the thread — paced at one message a second —
 * must not fill with repeats that delay what matters (a fuzzed or stubborn button made 1,186 once).
 */
export const REFUSAL_REPEAT_WINDOW_MS = 10 * 60 * 1000;

/**
 * Records a refused decision in the incident's timeline — who asked, what, and why — and hands the
 * refusal back for the surface to tell the person. An unknown incident has no timeline to keep it;
 * a repeat within {@link REFUSAL_REPEAT_WINDOW_MS} is logged, not recorded again.
 */
export async function recordRefusal(
  deps: Pick<IncidentDeps, 'timeline' | 'log' | 'store'>,
  request: { incidentId: string; actionId?: string; actor: Actor },
  decision: PolicyDecisionKind,
  refusal: Refusal,
): Promise<{ kind: 'refused'; refusal: Refusal }> {
  deps.log.info(
    {
      incidentId: request.incidentId,
      actionId: request.actionId,
      by: request.actor.id,
      decision,
      code: refusal.code,
    },
    'decision refused',
  );
  const token = [decision, request.actionId ?? '', refusal.code, request.actor.via, request.actor.id].join(
    '\u0000',
  );
  if (
    refusal.code !== 'incident-unknown' &&
    (await deps.store.firstInWindow(request.incidentId, token, REFUSAL_REPEAT_WINDOW_MS))
  ) {
    await deps.timeline.record(
      request.incidentId,
      {
        type: 'decision.refused',
        decision,
        ...(request.actionId ? { actionId: request.actionId } : {}),
        code: refusal.code,
        reason: describeRefusal(refusal),
        ...(refusal.code === 'not-approver' ? { ask: refusal.approvers } : {}),
      },
      request.actor,
    );
  }
  return { kind: 'refused', refusal };
}
