import { undoIdOf } from '../runbooks/runbook-schema.js';
import type { Actor } from '../timeline/actor.js';
import { type ActionState, inFlightStatuses } from './action-state.js';
import { recordRefusal } from './decision-context.js';
import type { Incident } from './incident.js';
import type { IncidentDeps } from './incident-deps.js';
import { moveIncident } from './move-incident.js';
import type { Refusal } from './refusal.js';
import { type GateStop, passResolveGate } from './resolve-gate.js';

export type ResolveResult =
  | { kind: 'resolved'; incident: Incident; stillApplied: readonly AppliedMitigation[] }
  /** Mitigations are still in place and their undo has not run: resolving would lock it away. */
  | { kind: 'mitigations-in-place'; stillApplied: readonly AppliedMitigation[] }
  | { kind: 'refused'; refusal: Refusal }
  /** Recovery checks are failing or not run yet: resolving needs a reason, which is recorded. */
  | GateStop;

/** An action that succeeded and whose runbook undo has neither run nor been skipped. */
export interface AppliedMitigation {
  actionId: string;
  title: string;
  undoId: string;
  undoTitle: string;
}

/**
 * The mitigations of an incident still waiting for their normalization (emergency rate limit →
 * restore…). A dry run changed nothing, so it leaves nothing in place.
 */
export async function appliedMitigations(
  deps: Pick<IncidentDeps, 'store' | 'runbooks'>,
  incident: Incident,
): Promise<AppliedMitigation[]> {
  const runbook = deps.runbooks.get(incident.kind);
  if (!runbook) return [];
  const states = new Map<string, ActionState>(
    (await deps.store.listActions(incident.id)).map((s) => [s.actionId, s]),
  );
  const titles = new Map(runbook.actions.map((a) => [a.id, a.title]));
  return runbook.actions.flatMap((action) => {
    const undoId = undoIdOf(action);
    const state = states.get(action.id);
    if (!undoId || state?.status !== 'succeeded' || state.dryRun) return [];
    const undoStatus = states.get(undoId)?.status;
    if (undoStatus === 'succeeded' || undoStatus === 'skipped') return [];
    return [{ actionId: action.id, title: action.title, undoId, undoTitle: titles.get(undoId) ?? undoId }];
  });
}

type ResolveDeps = Pick<
  IncidentDeps,
  'store' | 'runbooks' | 'timeline' | 'now' | 'log' | 'policy' | 'resolveGate'
>;

/**
 * Closes an incident: its remaining buttons stop working and the timeline says who resolved it.
 * Refused while an action is queued or running (it would finish after the resolve, its undo locked
 * out). With mitigations still applied (and their undo not run), it refuses unless `force`, which
 * needs an approver's authority: resolving locks the normalization actions, and an emergency rate
 * limit left behind is tomorrow's incident. A plain resolve is the requester's or an approver's.
 */
export async function resolveIncident(
  deps: ResolveDeps,
  incidentId: string,
  actor: Actor,
  options: { force?: boolean; reason?: string } = {},
): Promise<ResolveResult> {
  const before = await deps.store.get(incidentId);
  if (!before) return { kind: 'refused', refusal: { code: 'incident-unknown', incidentId } };
  const refuse = (decision: 'resolve' | 'force-resolve', refusal: Refusal) =>
    recordRefusal(deps, { incidentId, actor }, decision, refusal);
  if (before.status === 'resolved') {
    return refuse('resolve', { code: 'incident-closed', incidentId, status: 'resolved' });
  }
  const runbook = deps.runbooks.get(before.kind);
  const stillApplied = await appliedMitigations(deps, before);
  const forcing = stillApplied.length > 0 && options.force === true;
  const decision = forcing ? 'force-resolve' : 'resolve';
  if (runbook) {
    const allowed = await deps.policy.authorize(actor, decision, before, runbook);
    if (!allowed.allowed) return refuse(decision, allowed.refusal);
  }
  const titles = new Map(runbook?.actions.map((a) => [a.id, a.title]) ?? []);
  const inFlight = (await deps.store.listActions(incidentId))
    .filter((s) => inFlightStatuses.has(s.status))
    .map((s) => ({ actionId: s.actionId, title: titles.get(s.actionId) ?? s.actionId, status: s.status }));
  if (inFlight.length > 0)
    return refuse(decision, { code: 'actions-in-flight', incidentId, actions: inFlight });
  if (stillApplied.length > 0 && !forcing) return { kind: 'mitigations-in-place', stillApplied };
  const because = forcing
    ? [
        {
          type: 'note' as const,
          text: `Resolved with mitigations still in place: ${stillApplied.map((m) => `${m.title} (undo: ${m.undoTitle})`).join('; ')}.`,
        },
      ]
    : [];
  // The recovery checklist's step (src/verification): failing or unrun checks need a reason.
  const gate = await passResolveGate(deps.resolveGate, before, options.reason);
  if ('stop' in gate) return gate.stop;
  const moved = await moveIncident(deps, incidentId, ['opening', 'investigating', 'mitigating'], 'resolved', {
    fields: { resolvedBy: actor.id, resolvedVia: actor.via, resolvedAt: deps.now().toISOString() },
    actor,
    because: [...because, ...gate.because],
  });
  if (!moved.ok) {
    const status = moved.current?.status ?? 'resolved';
    return { kind: 'refused', refusal: { code: 'incident-closed', incidentId, status } };
  }
  deps.log.info(
    { incidentId, by: actor.id, via: actor.via, stillApplied: stillApplied.map((m) => m.actionId) },
    'incident resolved',
  );
  return { kind: 'resolved', incident: moved.value, stillApplied };
}
