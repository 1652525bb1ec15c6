import type { Actor } from '../timeline/actor.js';
import type { ActionState } from './action-state.js';
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

/** The mitigations of an incident still waiting for their normalization (emergency rate limit → restore…). */
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
    if (!action.undo || states.get(action.id)?.status !== 'succeeded') return [];
    const undoStatus = states.get(action.undo)?.status;
    if (undoStatus === 'succeeded' || undoStatus === 'skipped') return [];
    return [
      {
        actionId: action.id,
        title: action.title,
        undoId: action.undo,
        undoTitle: titles.get(action.undo) ?? action.undo,
      },
    ];
  });
}

/**
 * Closes an incident: its remaining buttons stop working and the timeline says who resolved it. With
 * mitigations still applied (and their undo not run), it refuses unless `force`: resolving locks the
 * normalization actions, and an emergency rate limit left behind is tomorrow's incident.
 */
export async function resolveIncident(
  deps: Pick<IncidentDeps, 'store' | 'runbooks' | 'timeline' | 'now' | 'log' | 'resolveGate'>,
  incidentId: string,
  actor: Actor,
  options: { force?: boolean; reason?: string } = {},
): Promise<ResolveResult> {
  const before = await deps.store.get(incidentId);
  if (!before) return { kind: 'refused', refusal: { code: 'incident-unknown', incidentId } };
  if (before.status === 'resolved') {
    return { kind: 'refused', refusal: { code: 'incident-closed', incidentId, status: 'resolved' } };
  }
  const stillApplied = await appliedMitigations(deps, before);
  if (stillApplied.length > 0 && !options.force) return { kind: 'mitigations-in-place', stillApplied };
  const because =
    stillApplied.length > 0
      ? [
          {
            type: 'note' as const,
            text: `Resolved with mitigations still in place: ${stillApplied.map((m) => `${m.title} (undo: ${m.undoTitle})`).join('; ')}.`,
          },
        ]
      : [];
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
